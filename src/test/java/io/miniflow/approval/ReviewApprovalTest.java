package io.miniflow.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Every path of review-approval, driven the way people drive it (the API, Tasklist's engine calls, /engine-rest),
 * against the engine and tables of the running application.
 */
@MiniflowIntegrationTest
class ReviewApprovalTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    TaskService taskService;
    @Autowired
    HistoryService historyService;
    @Autowired
    ManagementService managementService;
    @Autowired
    IdentityService identityService;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    ApprovalRepository repository;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    org.camunda.bpm.engine.FormService formService;

    @Test
    void oneApprovalApprovesAndTheHistoryShowsWhoDecided() throws Exception {
        long id = apply("developer", "FEATURE", null);
        decide("reviewer", id, "APPROVE", "looks fine").andExpect(status().isOk())
            .andExpect(jsonPath("$.approval.status").value("APPROVED"));

        Approval approval = repository.findById(id).orElseThrow();
        assertThat(approval.finishedAt()).isNotNull();
        assertThat(repository.decisions(id)).singleElement()
            .satisfies(d -> {
                assertThat(d.decidedBy()).isEqualTo("reviewer");
                assertThat(d.decision()).isEqualTo(Decision.APPROVE);
                assertThat(d.comment()).isEqualTo("looks fine");
            });
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(approval.processInstanceId()).count())
            .isZero();
        assertThat(auditCount("APPROVAL_APPROVED", id)).isEqualTo(1);
        // ... and the engine's history names the decider as the review task's assignee (Cockpit shows it)
        assertThat(historyService.createHistoricTaskInstanceQuery().processInstanceId(approval.processInstanceId())
            .list()).extracting(HistoricTaskInstance::getAssignee).containsExactly("reviewer");
    }

    @Test
    void aRejectionNeedsACommentAndEndsTheApplication() throws Exception {
        long id = apply("developer", "PUBLISH", null);
        decide("reviewer", id, "REJECT", "  ").andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.code").value("approval.commentRequired"))
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        assertThat(repository.findById(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(repository.decisions(id)).isEmpty();

        decide("reviewer", id, "REJECT", "Privacy text is missing").andExpect(status().isOk())
            .andExpect(jsonPath("$.approval.status").value("REJECTED"))
            .andExpect(jsonPath("$.approval.outcomeReason").value("Privacy text is missing"));
    }

    @Test
    void aRemovalIsNotAppliedForHereButWhereItHappens() throws Exception {
        long before = jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single();
        mvc.perform(post("/api/approvals").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"category\":\"REMOVAL\",\"title\":\"Take it down\","
                    + "\"objectName\":\"shop-mp\",\"objectVersion\":\"1.0.0\"}"))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("approval.removalWhereItHappens"))
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single()).as("nothing filed")
            .isEqualTo(before);
    }

    @Test
    void theApplicantCannotApproveThroughTheApi() throws Exception {
        long id = apply("admin", "FEATURE", null);
        decide("admin", id, "APPROVE", null).andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("approval.ownApplication"));
        assertThat(repository.findById(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void theEngineRefusesTheApplicantWhateverPathCompletesTheTask() {
        long id = apply("admin", "PUBLISH", null);
        Task task = reviewTask(id);
        identityService.setAuthentication("admin", List.of("camunda-admin", "workspace-admin", "Demo.workspace-admin"));
        try {
            // The engine wraps what a listener throws; the refusal itself is the root cause.
            assertThatThrownBy(() -> taskService.complete(task.getId(), Map.of("decision", "APPROVE")))
                .rootCause()
                .isInstanceOf(AuthorizationException.class)
                .hasMessageContaining("applicant can never decide their own application");
        } finally {
            identityService.clearAuthentication();
        }
        assertThat(repository.findById(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
        assertThat(repository.decisions(id)).isEmpty();
    }

    @Test
    void engineRestRefusesTheApplicantAndSaysWhy() {
        long id = apply("admin", "PUBLISH", null);
        Task task = reviewTask(id);
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth("admin", "admin");
        headers.setContentType(MediaType.APPLICATION_JSON);
        ResponseEntity<String> answer = rest.postForEntity("/engine-rest/task/" + task.getId() + "/complete",
            new HttpEntity<>("{\"variables\":{\"decision\":{\"value\":\"APPROVE\"}}}", headers), String.class);
        // Camunda's REST layer reports any listener refusal as 500 "Cannot complete task"; the reason is in the message.
        assertThat(answer.getStatusCode().is2xxSuccessful()).isFalse();
        assertThat(answer.getBody()).contains("Cannot complete task").contains("applicant can never decide");
        assertThat(repository.findById(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void membersWhoAreNotReviewersCannotDecide() throws Exception {
        long id = apply("admin", "MEMBER", null);
        decide("developer", id, "APPROVE", null).andExpect(status().isForbidden());
        decide("mpadmin", id, "APPROVE", null).andExpect(status().isForbidden());
        assertThat(repository.decisions(id)).isEmpty();
    }

    @Test
    void twoApproverPolicyNeedsTwoDifferentReviewers() throws Exception {
        String env = "prod-" + UUID.randomUUID().toString().substring(0, 6);
        repository.setPolicy("Demo", ApprovalCategory.PUBLISH, env, 2);
        long id = apply("developer", "PUBLISH", env);
        assertThat(repository.findById(id).orElseThrow().requiredApprovals()).isEqualTo(2);

        decide("reviewer", id, "APPROVE", null).andExpect(jsonPath("$.approval.status").value("PENDING"));
        decide("reviewer", id, "APPROVE", null).andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("approval.alreadyDecided"));
        decide("reviewer2", id, "APPROVE", "second pair of eyes")
            .andExpect(jsonPath("$.approval.status").value("APPROVED"));
        assertThat(repository.decisions(id)).extracting(ReviewerDecision::decidedBy)
            .containsExactly("reviewer", "reviewer2");
        assertThat(historyService.createHistoricTaskInstanceQuery()
                .processInstanceId(repository.findById(id).orElseThrow().processInstanceId())
                .orderByHistoricActivityInstanceStartTime().asc().list())
            .extracting(HistoricTaskInstance::getAssignee).containsExactly("reviewer", "reviewer2");
    }

    @Test
    void oneRejectionRejectsEvenAfterAnApproval() throws Exception {
        String env = "prod-" + UUID.randomUUID().toString().substring(0, 6);
        repository.setPolicy("Demo", ApprovalCategory.PUBLISH, env, 2);
        long id = apply("developer", "PUBLISH", env);
        decide("reviewer", id, "APPROVE", null).andExpect(status().isOk());
        decide("admin", id, "REJECT", "not this week").andExpect(jsonPath("$.approval.status").value("REJECTED"));
    }

    @Test
    void theApplicantWithdrawsWhilePendingAndOnlyThen() throws Exception {
        long id = apply("developer", "FEATURE", null);
        mvc.perform(post("/api/approvals/{id}/withdraw", id).with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("approval.onlyApplicantWithdraws"));
        mvc.perform(post("/api/approvals/{id}/withdraw", id).with(httpBasic("developer", "developer")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.approval.status").value("WITHDRAWN"));
        mvc.perform(post("/api/approvals/{id}/withdraw", id).with(httpBasic("developer", "developer")))
            .andExpect(status().isConflict());
        decide("reviewer", id, "APPROVE", null).andExpect(status().isConflict());
        assertThat(auditCount("APPROVAL_WITHDRAWN", id)).isEqualTo(1);
    }

    @Test
    void anUndecidedApplicationExpiresWhenItsTimerFires() {
        long id = apply("developer", "PUBLISH", null);
        Job expiry = timer(id, "BoundaryEvent_Expired");
        managementService.executeJob(expiry.getId());
        Approval approval = repository.findById(id).orElseThrow();
        assertThat(approval.status()).isEqualTo(ApprovalStatus.EXPIRED);
        assertThat(approval.outcomeReason()).contains("expired");
        assertThat(reviewTaskOrNull(id)).isNull();
    }

    @Test
    void theReminderNotifiesReviewersAndKeepsTheReviewOpen() throws Exception {
        long id = apply("developer", "PUBLISH", null);
        Job reminder = timer(id, "BoundaryEvent_ReminderDue");
        managementService.executeJob(reminder.getId());
        String pid = repository.findById(id).orElseThrow().processInstanceId();
        // The reminder step is asynchronous: the job executor runs it.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_notification WHERE link = ?").param("/approvals/" + id)
            .query(Long.class).single() == 1);
        assertThat(managementService.createJobQuery().processInstanceId(pid).activityId("Task_RemindReviewers").count())
            .isZero();
        assertThat(auditCount("APPROVAL_REMINDED", id)).isEqualTo(1);
        mvc.perform(get("/").with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                .user("reviewer").authorities(() -> "workspace-reviewer", () -> "Demo.workspace-reviewer")))
            .andExpect(status().isOk())
            .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .string(org.hamcrest.Matchers.containsString("/approvals/" + id)));
        assertThat(reviewTaskOrNull(id)).isNotNull();
        assertThat(repository.findById(id).orElseThrow().status()).isEqualTo(ApprovalStatus.PENDING);
    }

    @Test
    void theReminderPostsToTheWorkspaceWebhook() throws Exception {
        java.util.concurrent.BlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        hook.start();
        try {
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/workspaces/Demo/webhook")
                    .with(httpBasic("reviewer", "reviewer")).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"url\":\"http://127.0.0.1:1/x\"}"))
                .andExpect(status().isForbidden());
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/workspaces/Demo/webhook")
                    .with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"url\":\"ftp://example.com\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("workspace.webhookInvalid"));
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/workspaces/Demo/webhook")
                    .with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"url\":\"http://127.0.0.1:" + hook.getAddress().getPort() + "/hook\"}"))
                .andExpect(status().isOk());

            long id = apply("developer", "FEATURE", null);
            managementService.executeJob(timer(id, "BoundaryEvent_ReminderDue").getId());
            String body = received.poll(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(body).isNotNull().contains("\"event\":\"approval.reminder\"").contains("\"approvalId\":" + id);
        } finally {
            hook.stop(0);
            mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/workspaces/Demo/webhook")
                .with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON).content("{\"url\":\"\"}"));
        }
    }

    @Test
    void theListFiltersByStatusAndRejectsUnknownFilters() throws Exception {
        long id = apply("developer", "FEATURE", null);
        mvc.perform(get("/api/approvals?status=PENDING&category=FEATURE&applicant=developer&size=200")
                .with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.items[?(@.id == " + id + ")]").isNotEmpty())
            .andExpect(jsonPath("$.items[?(@.status != 'PENDING')]").isEmpty());
        mvc.perform(get("/api/approvals?status=DONE").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("approval.statusUnknown"));
        mvc.perform(get("/api/approvals?category=LAUNCH").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("approval.categoryUnknown"));
    }

    @Test
    void theDecisionFormIsDeployedForTasklist() {
        assertThat(repositoryService.createDeploymentQuery().list().stream()
            .flatMap(d -> repositoryService.getDeploymentResourceNames(d.getId()).stream()))
            .anyMatch(name -> name.endsWith("review-decision.form"));
    }

    @Test
    void tasklistFindsTheDecisionFormOfAReviewTask() throws Exception {
        long id = apply("developer", "FEATURE", null);
        try (var form = formService.getDeployedTaskForm(reviewTask(id).getId())) {
            assertThat(new String(form.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"id\": \"review-decision\"");
        }
    }

    private long apply(String user, String category, String environment) {
        try {
            String body = json.writeValueAsString(new java.util.HashMap<>(Map.of("workspace", "Demo",
                "category", category, "title", "Apply for review " + UUID.randomUUID(), "objectName", "shop-mp",
                "objectVersion", "1.0.0")) {{
                    if (environment != null) {
                        put("environment", environment);
                    }
                }});
            String answer = mvc.perform(post("/api/approvals").with(httpBasic(user, user))
                    .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
            JsonNode node = json.readTree(answer);
            return node.get("approvalId").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private org.springframework.test.web.servlet.ResultActions decide(String user, long id, String decision,
                                                                    String comment) throws Exception {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("decision", decision);
        body.put("comment", comment);
        return mvc.perform(post("/api/approvals/{id}/decision", id).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)));
    }

    private Task reviewTask(long id) {
        Task task = reviewTaskOrNull(id);
        assertThat(task).as("open review task").isNotNull();
        return task;
    }

    private Task reviewTaskOrNull(long id) {
        String pid = repository.findById(id).orElseThrow().processInstanceId();
        return taskService.createTaskQuery().processInstanceId(pid).singleResult();
    }

    private Job timer(long id, String activityId) {
        String pid = repository.findById(id).orElseThrow().processInstanceId();
        return managementService.createJobQuery().processInstanceId(pid).timers().activityId(activityId)
            .singleResult();
    }

    private long auditCount(String action, long id) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE action = ? AND object_id = ?")
            .params(action, String.valueOf(id)).query(Long.class).single();
    }
}
