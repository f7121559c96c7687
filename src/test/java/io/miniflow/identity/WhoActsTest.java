package io.miniflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.shared.ProtectedVariables;

/**
 * Attacks on "who acts is the authenticated user", tried with the demo accounts on every path into the engine:
 * /engine-rest (start, complete, submit-form, variables, local variables, modification, messages, batches), Tasklist's
 * own REST behind the console login, and the engine API as Tasklist calls it. Each attack must be refused and leave
 * the applications and versions as they were.
 */
@MiniflowIntegrationTest
class WhoActsTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    TaskService taskService;
    @Autowired
    IdentityService identityService;
    @Autowired
    ManagementService managementService;
    @Autowired
    org.camunda.bpm.engine.HistoryService historyService;
    @Autowired
    List<ProtectedVariables.Declaration> declarations;
    @LocalServerPort
    int port;

    // --- repairing jobs

    @Test
    void onlyOperatorsRepairJobsEvenAJobOfNoProcess() {
        Job cleanup = historyService.findHistoryCleanupJobs().get(0);
        String job = "/engine-rest/job/" + cleanup.getId();
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        for (String user : List.of("reviewer", "developer", "mpadmin")) {
            TestRestTemplate as = rest.withBasicAuth(user, user);
            assertThat(as.exchange(job + "/retries", HttpMethod.PUT, new HttpEntity<>("{\"retries\":9}", headers),
                String.class).getStatusCode().value()).as("%s sets retries", user).isEqualTo(403);
            assertThat(as.exchange(job + "/duedate", HttpMethod.PUT,
                new HttpEntity<>("{\"duedate\":\"2030-01-01T00:00:00.000+0000\"}", headers), String.class)
                .getStatusCode().value()).as("%s moves it", user).isEqualTo(403);
            assertThat(as.postForEntity(job + "/execute", null, String.class).getStatusCode().value())
                .as("%s runs it", user).isEqualTo(403);
            assertThat(as.exchange(job, HttpMethod.DELETE, null, String.class).getStatusCode().value())
                .as("%s deletes it", user).isEqualTo(403);
            assertThat(as.postForEntity("/engine-rest/job/count", new HttpEntity<>("{}", headers), String.class)
                .getStatusCode().value()).as("%s still queries jobs", user).isEqualTo(200);
        }
        Job after = managementService.createJobQuery().jobId(cleanup.getId()).singleResult();
        assertThat(after.getRetries()).isEqualTo(cleanup.getRetries());
        assertThat(after.getDuedate()).isEqualTo(cleanup.getDuedate());
        assertThat(rest.withBasicAuth("operator", "operator").exchange(job + "/retries", HttpMethod.PUT,
            new HttpEntity<>("{\"retries\":" + cleanup.getRetries() + "}", headers), String.class)
            .getStatusCode().value()).as("the operator repairs").isEqualTo(204);
    }

    // --- self-approval through variables

    @Test
    void aReviewerCannotPointTheirOwnReviewAtAnotherApplication() {
        long own = apply("reviewer");
        long other = apply("developer");
        Task ownTask = reviewTask(own);

        ResponseEntity<String> answer = engineRest("reviewer", HttpMethod.POST, "/task/" + ownTask.getId() + "/complete",
            "{\"variables\":{\"decision\":{\"value\":\"APPROVE\"},\"approvalId\":{\"value\":" + other
                + ",\"type\":\"Long\"}}}");

        assertRefused(answer, "approvalId");
        assertUndecided(own);
        assertUndecided(other);
    }

    @Test
    void aTaskLocalApprovalIdIsRefusedAndTheOwnApplicationStaysUndecidable() {
        long own = apply("reviewer");
        long other = apply("developer");
        Task ownTask = reviewTask(own);

        assertRefused(engineRest("reviewer", HttpMethod.PUT, "/task/" + ownTask.getId() + "/localVariables/approvalId",
            "{\"value\":" + other + ",\"type\":\"Long\"}"), "approvalId");
        assertThat(engineRest("reviewer", HttpMethod.POST, "/task/" + ownTask.getId() + "/complete",
            "{\"variables\":{\"decision\":{\"value\":\"APPROVE\"}}}").getStatusCode().is2xxSuccessful()).isFalse();

        assertUndecided(own);
        assertUndecided(other);
    }

    @Test
    void aTransientApprovalIdChangesNothing() {
        // Transient variables leave no history, so the guard cannot see them; the listener must not read the id at all.
        long own = apply("reviewer");
        long other = apply("developer");
        Task ownTask = reviewTask(own);

        ResponseEntity<String> answer = engineRest("reviewer", HttpMethod.POST, "/task/" + ownTask.getId() + "/complete",
            "{\"variables\":{\"decision\":{\"value\":\"APPROVE\"},\"approvalId\":{\"value\":" + other
                + ",\"type\":\"Long\",\"valueInfo\":{\"transient\":true}}}}");

        assertThat(answer.getStatusCode().is2xxSuccessful()).as(answer.getBody()).isFalse();
        assertUndecided(own);
        assertUndecided(other);
    }

    @Test
    void submitFormWithAnotherApplicationIsRefused() {
        long own = apply("reviewer");
        long other = apply("developer");
        Task ownTask = reviewTask(own);

        assertRefused(engineRest("reviewer", HttpMethod.POST, "/task/" + ownTask.getId() + "/submit-form",
            "{\"variables\":{\"decision\":{\"value\":\"APPROVE\"},\"approvalId\":{\"value\":" + other
                + ",\"type\":\"Long\"}}}"), "approvalId");
        assertUndecided(own);
        assertUndecided(other);
    }

    @ParameterizedTest
    @ValueSource(strings = {"outcome", "reviewState", "applicant", "workspace", "requiredApprovals"})
    void evenAWorkspaceAdminCannotRewriteWhatTheReviewDecides(String variable) {
        long id = apply("developer");
        String pid = processInstanceOf(id);
        String value = "requiredApprovals".equals(variable) ? "{\"value\":0,\"type\":\"Integer\"}"
            : "{\"value\":\"" + ("applicant".equals(variable) ? "reviewer" : "APPROVED") + "\"}";

        assertRefused(engineRest("admin", HttpMethod.PUT, "/process-instance/" + pid + "/variables/" + variable, value),
            variable);
        assertRefused(engineRest("admin", HttpMethod.POST, "/process-instance/" + pid + "/variables",
            "{\"modifications\":{\"" + variable + "\":" + value + "}}"), variable);
        assertUndecided(id);
        assertThat(runtimeService.getVariable(pid, "applicant")).isEqualTo("developer");
    }

    @Test
    void protectedVariablesCannotBeRemovedEither() {
        long id = apply("developer");
        String pid = processInstanceOf(id);
        assertRefused(engineRest("admin", HttpMethod.DELETE, "/process-instance/" + pid + "/variables/applicant", null),
            "applicant");
        assertThat(runtimeService.getVariable(pid, "applicant")).isEqualTo("developer");
    }

    @Test
    void aModificationCannotCarryAnOutcome() {
        long id = apply("developer");
        String pid = processInstanceOf(id);
        ResponseEntity<String> answer = engineRest("admin", HttpMethod.POST, "/process-instance/" + pid + "/modification",
            "{\"instructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_RecordDecision\","
                + "\"variables\":{\"outcome\":{\"value\":\"APPROVED\"}}}]}");
        assertThat(answer.getStatusCode().is2xxSuccessful()).isFalse();
        assertUndecided(id);
    }

    @Test
    void aTokenMovedPastTheReviewCannotApprove() {
        // Even if an outcome got there (here: written by the engine API itself, which the guard trusts), closing the
        // application checks the recorded decisions.
        long id = apply("developer");
        String pid = processInstanceOf(id);
        runtimeService.setVariable(pid, "outcome", "APPROVED");
        assertThatThrownBy(() -> runtimeService.createProcessInstanceModification(pid)
                .startBeforeActivity("Task_RecordDecision").execute())
            .isInstanceOf(ProcessEngineException.class)
            .hasMessageContaining("recorded decisions say PENDING");
        assertUndecided(id);
    }

    @Test
    void onlyMiniflowWithdrawsAnApplication() {
        long id = apply("developer");
        String pid = processInstanceOf(id);
        ResponseEntity<String> answer = engineRest("admin", HttpMethod.POST, "/message",
            "{\"messageName\":\"approval-withdrawn\",\"processInstanceId\":\"" + pid + "\"}");
        assertThat(answer.getStatusCode().is2xxSuccessful()).isFalse();
        assertThat(answer.getBody()).contains("sent by Miniflow only");
        assertUndecided(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wechat-audit-result", "wechat-rollback-requested", "wechat-gray-step-approved",
        "wechat-release-batch-done", "tenant-authorization-granted", "tenant-link-renewed", "tenant-close-requested",
        "tenant-close-opened", "environment-build-give-up", "environment-payment-received"})
    void nobodyFakesWhatWechatOrMiniflowReports(String message) {
        // An audit result from WeChat or a freed release slot arrives through Miniflow, never from a person.
        ResponseEntity<String> answer = engineRest("admin", HttpMethod.POST, "/message",
            "{\"messageName\":\"" + message + "\",\"all\":true,"
                + "\"processVariables\":{\"auditStatus\":{\"value\":\"PASSED\"}}}");
        assertThat(answer.getStatusCode().value()).as(answer.getBody()).isEqualTo(403);
        assertThat(answer.getBody()).contains("sent by Miniflow only");
    }

    @Test
    void everyProcessDeclaresWhatPeopleMayNotWrite() throws Exception {
        java.util.Set<String> declared = declarations.stream().map(ProtectedVariables.Declaration::processKey)
            .collect(java.util.stream.Collectors.toSet());
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("bpmn"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".bpmn"))
                .map(n -> n.substring(0, n.length() - ".bpmn".length())))
                .isNotEmpty()
                .allSatisfy(key -> assertThat(declared).as("declaration of " + key).contains(key));
        }
    }

    @Test
    void tasklistsOwnRestRefusesAnotherApplicationToo() throws Exception {
        long own = apply("reviewer");
        long other = apply("developer");
        Task ownTask = reviewTask(own);

        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        login(browser, "reviewer");
        browser.send(get("/camunda/app/tasklist/default/"), HttpResponse.BodyHandlers.discarding());
        String xsrf = ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
            .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElse("");
        HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(
                uri("/camunda/api/engine/engine/default/task/" + ownTask.getId() + "/submit-form"))
            .header("Content-Type", "application/json").header("X-XSRF-TOKEN", xsrf)
            .POST(HttpRequest.BodyPublishers.ofString("{\"variables\":{\"decision\":{\"value\":\"APPROVE\"},"
                + "\"approvalId\":{\"value\":" + other + ",\"type\":\"Long\"}}}"))
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isBetween(400, 599);
        assertUndecided(own);
        assertUndecided(other);
    }

    @Test
    void thePublishersReviewCannotBeDecidedByRenamingTheApplicant() {
        // reviewer2 tries to become "not the applicant" of their own application by rewriting the variable.
        long id = apply("reviewer2");
        Task task = reviewTask(id);
        assertRefused(engineRest("reviewer2", HttpMethod.POST, "/task/" + task.getId() + "/complete",
            "{\"variables\":{\"decision\":{\"value\":\"APPROVE\"},\"applicant\":{\"value\":\"developer\"}}}"),
            "applicant");
        assertUndecided(id);
    }

    // --- starting processes

    @ParameterizedTest
    @ValueSource(strings = {"review-approval", "wechat-template-release", "wechat-mp-release",
        "wechat-mp-rollback", "tenant-provisioning", "environment-build", "environment-release"})
    void ordinaryUsersCannotStartInternalProcesses(String processKey) {
        long before = runtimeService.createProcessInstanceQuery().processDefinitionKey(processKey).count();
        for (String user : List.of("developer", "reviewer", "mpadmin")) {
            ResponseEntity<String> answer = engineRest(user, HttpMethod.POST,
                "/process-definition/key/" + processKey + "/start",
                "{\"variables\":{\"workspace\":{\"value\":\"Demo\"}}}");
            assertThat(answer.getStatusCode().value()).as(user + " starting " + processKey).isEqualTo(403);
        }
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(processKey).count())
            .isEqualTo(before);
    }

    @Test
    void aForgedApplicationIsRefusedEvenForAPlatformAdmin() {
        long before = applications();
        ResponseEntity<String> answer = engineRest("admin", HttpMethod.POST,
            "/process-definition/key/review-approval/start",
            "{\"variables\":{\"workspace\":{\"value\":\"Demo\"},\"category\":{\"value\":\"FEATURE\"},"
                + "\"title\":{\"value\":\"forged\"},\"objectName\":{\"value\":\"x\"},\"applicant\":{\"value\":\"reviewer2\"}}}");
        assertThat(answer.getStatusCode().is2xxSuccessful()).isFalse();
        assertThat(answer.getBody()).contains("is set by Miniflow only");
        assertThat(applications()).isEqualTo(before);
    }

    @Test
    void ordinaryUsersStillSeeAndStartAppPublish() {
        ResponseEntity<String> startable = engineRest("developer", HttpMethod.GET,
            "/process-definition?startablePermissionCheck=true&latestVersion=true", null);
        assertThat(startable.getBody()).contains("\"key\":\"app-publish\"").doesNotContain("\"key\":\"review-approval\"");
    }

    @Test
    void nobodyPublishesAsSomebodyElseThroughEngineRest() throws Exception {
        String app = newApp();
        long versionsBefore = versions(app);
        ResponseEntity<String> answer = engineRest("reviewer", HttpMethod.POST,
            "/process-definition/key/app-publish/start", publishStart(app, "1.0.0", "developer"));
        assertRefused(answer, "publisher");
        assertThat(versions(app)).isEqualTo(versionsBefore);
    }

    @Test
    void aStartFormCannotNameAnotherPublisher() throws Exception {
        String app = newApp();
        ResponseEntity<String> answer = engineRest("developer", HttpMethod.POST,
            "/process-definition/key/app-publish/submit-form", publishStart(app, "1.0.0", "mpadmin"));
        assertRefused(answer, "publisher");
        assertThat(versions(app)).isZero();
    }

    @Test
    void aReviewerWhoMayNotPublishCannotStartAPublishAtAll() throws Exception {
        String app = newApp();
        ResponseEntity<String> answer = engineRest("reviewer", HttpMethod.POST,
            "/process-definition/key/app-publish/start", publishStart(app, "1.0.0", null));
        assertThat(answer.getStatusCode().is2xxSuccessful()).isFalse();
        assertThat(versions(app)).isZero();
    }

    @Test
    void theAdminOfAnotherWorkspaceCannotPublishDemosApp() throws Exception {
        String other = "other" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String otherAdmin = "adm" + other;
        org.camunda.bpm.engine.identity.User user = identityService.newUser(otherAdmin);
        user.setPassword(otherAdmin);
        user.setEmail(otherAdmin + "@example.com");
        identityService.saveUser(user);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + other + "\",\"businessScope\":\"5734\",\"address\":\"1 Road\","
                    + "\"representativeName\":\"Rep\",\"representativeEmail\":\"" + otherAdmin + "@example.com\"}"))
            .andDo(r -> assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString()).isEqualTo(201));
        // The representative opens the workspace as its admin.
        String app = newApp();

        ResponseEntity<String> named = engineRest(otherAdmin, HttpMethod.POST,
            "/process-definition/key/app-publish/start", publishStart(app, "1.0.0", "developer"));
        assertThat(named.getStatusCode().is2xxSuccessful()).as(named.getBody()).isFalse();
        ResponseEntity<String> asThemselves = engineRest(otherAdmin, HttpMethod.POST,
            "/process-definition/key/app-publish/start", publishStart(app, "1.0.0", null));
        assertThat(asThemselves.getStatusCode().is2xxSuccessful()).as(asThemselves.getBody()).isFalse();
        assertThat(versions(app)).isZero();
    }

    @Test
    void aPublishCannotStartPastItsApproval() throws Exception {
        String app = newApp();
        ResponseEntity<String> answer = engineRest("developer", HttpMethod.POST,
            "/process-definition/key/app-publish/start",
            "{\"variables\":{\"workspace\":{\"value\":\"Demo\"},\"appCode\":{\"value\":\"" + app + "\"},"
                + "\"envCode\":{\"value\":\"prod\"},\"version\":{\"value\":\"1.0.0\"}},"
                + "\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_Deploy\"}]}");
        assertThat(answer.getStatusCode().is2xxSuccessful()).isFalse();
        assertThat(answer.getBody()).contains("start event only");
        assertThat(versions(app)).isZero();
    }

    @Test
    void aPublishStartedAsThemselvesRecordsTheAuthenticatedPublisher() throws Exception {
        String app = newApp();
        ResponseEntity<String> answer = engineRest("developer", HttpMethod.POST,
            "/process-definition/key/app-publish/start", publishStart(app, "1.0.0", "developer"));
        assertThat(answer.getStatusCode().is2xxSuccessful()).as(answer.getBody()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "developer".equals(jdbc.sql(
                "SELECT v.published_by FROM mf_app_version v JOIN mf_app_environment e ON e.id = v.environment_id "
                    + "JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ?")
            .param(app).query(String.class).optional().orElse(null)));
    }

    @Test
    void theTenantOperatorsTaskTakesTheDecisionOnly() {
        String pid = ProtectedVariables.asMiniflow(() -> runtimeService.createProcessInstanceByKey("tenant-provisioning")
            .startBeforeActivity("Task_RetryOrClose").setVariable("workspace", "Demo").setVariable("tenantAppId", -1L)
            .setVariable("failedStep", "RELEASE").execute().getId());
        Task task = taskService.createTaskQuery().processInstanceId(pid).singleResult();
        for (String variable : List.of("appId", "failedStep", "tenantAppId")) {
            ResponseEntity<String> answer = engineRest("operator", HttpMethod.POST, "/task/" + task.getId() + "/complete",
                "{\"variables\":{\"operatorDecision\":{\"value\":\"RETRY\"},\"" + variable
                    + "\":{\"value\":\"LIVE\"}}}");
            assertRefused(answer, variable);
        }
        assertThat(taskService.createTaskQuery().processInstanceId(pid).count()).isEqualTo(1);
        runtimeService.deleteProcessInstance(pid, "test done");
    }

    @Test
    void operatorsCannotSetVariablesInBatches() {
        ResponseEntity<String> answer = engineRest("operator", HttpMethod.POST, "/process-instance/variables-async",
            "{\"processInstanceQuery\":{\"processDefinitionKey\":\"review-approval\"},"
                + "\"variables\":{\"outcome\":{\"value\":\"APPROVED\"}}}");
        assertThat(answer.getStatusCode().value()).isEqualTo(403);
    }

    @Test
    void theEngineApiAsTasklistCallsItRefusesAnotherPublisher() throws Exception {
        String app = newApp();
        identityService.setAuthentication("developer", List.of("workspace-developer", "Demo.workspace-developer"),
            List.of("Demo"));
        try {
            assertThatThrownBy(() -> runtimeService.startProcessInstanceByKey("app-publish", Map.of("workspace", "Demo",
                    "appCode", app, "envCode", "test", "version", "0.9.0", "publisher", "mpadmin")))
                .hasMessageContaining("publisher");
        } finally {
            identityService.clearAuthentication();
        }
        assertThat(versions(app)).isZero();
    }

    // --- helpers

    private ResponseEntity<String> engineRest(String user, HttpMethod method, String path, String body) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBasicAuth(user, user);
        headers.setContentType(MediaType.APPLICATION_JSON);
        return rest.exchange("/engine-rest" + path, method, new HttpEntity<>(body, headers), String.class);
    }

    private static void assertRefused(ResponseEntity<String> answer, String variable) {
        assertThat(answer.getStatusCode().is2xxSuccessful()).as(answer.getBody()).isFalse();
        assertThat(answer.getBody()).contains("'" + variable + "'");
    }

    private long apply(String user) {
        try {
            String body = json.writeValueAsString(Map.of("workspace", "Demo", "category", "FEATURE",
                "title", "Attack " + UUID.randomUUID(), "objectName", "shop-mp"));
            String answer = mvc.perform(post("/api/approvals").with(httpBasic(user, user))
                    .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
            JsonNode node = json.readTree(answer);
            return node.get("approvalId").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String processInstanceOf(long approvalId) {
        return jdbc.sql("SELECT process_instance_id FROM mf_approval WHERE id = ?").param(approvalId)
            .query(String.class).single();
    }

    private Task reviewTask(long approvalId) {
        Task task = taskService.createTaskQuery().processInstanceId(processInstanceOf(approvalId)).singleResult();
        assertThat(task).as("open review task").isNotNull();
        return task;
    }

    private void assertUndecided(long approvalId) {
        assertThat(jdbc.sql("SELECT status FROM mf_approval WHERE id = ?").param(approvalId).query(String.class).single())
            .isEqualTo("PENDING");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_approval_decision WHERE approval_id = ?").param(approvalId)
            .query(Long.class).single()).isZero();
    }

    private long applications() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single();
    }

    private String newApp() throws Exception {
        String app = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"appCode\":\"" + app + "\",\"name\":\"Attack\",\"engineVersion\":\"1.0.0\"}"))
            .andExpect(status().isCreated());
        for (String env : List.of("test", "prod")) {
            mvc.perform(post("/api/apps/{a}/environments", app).with(httpBasic("developer", "developer"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"envCode\":\"" + env + "\",\"name\":\"" + env + "\",\"domain\":\"https://" + env
                        + ".example.com\",\"apiDomain\":\"https://api-" + env + ".example.com\",\"deployConfig\":\"default\","
                        + "\"requiresApproval\":" + env.equals("prod") + "}"))
                .andExpect(status().isCreated());
        }
        return app;
    }

    private static String publishStart(String app, String version, String publisher) {
        return "{\"variables\":{\"workspace\":{\"value\":\"Demo\"},\"appCode\":{\"value\":\"" + app + "\"},"
            + "\"envCode\":{\"value\":\"test\"},\"version\":{\"value\":\"" + version + "\"}"
            + (publisher == null ? "" : ",\"publisher\":{\"value\":\"" + publisher + "\"}") + "}}";
    }

    private long versions(String app) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_app_version v JOIN mf_app_environment e ON e.id = v.environment_id "
            + "JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ?").param(app).query(Long.class).single();
    }

    private void login(HttpClient browser, String user) throws Exception {
        String page = browser.send(get("/login"), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = CSRF.matcher(page);
        assertThat(csrf.find()).isTrue();
        String form = "username=" + user + "&password=" + user + "&_csrf="
            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        browser.send(HttpRequest.newBuilder(uri("/login")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
