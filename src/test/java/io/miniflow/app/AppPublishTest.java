package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Every path of app-publish through the API, with the real review-approval, the local deploy target and the
 * job executor of the running application.
 */
@MiniflowIntegrationTest
class AppPublishTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    ManagementService managementService;
    @Autowired
    IdentityService identityService;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    DeployFaults faults;

    @AfterEach
    void noFaultsLeft() {
        faults.clear();
    }

    @Test
    void anEnvironmentWithoutApprovalPublishesAtOnceAndServesTheVersion() throws Exception {
        String app = newApp();
        JsonNode started = publish("developer", app, "dev", "1.0.0").andExpect(status().isAccepted())
            .andExpect(jsonPath("$.statusUrl").exists()).andReturn().getResponse().getContentAsString().transform(this::read);
        String statusUrl = started.get("statusUrl").asText();

        awaitStatus("developer", statusUrl, "PUBLISHED");
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.onlineVersion").value("1.0.0"))
            .andExpect(jsonPath("$.running").value(false))
            .andExpect(jsonPath("$.log[?(@.message =~ /.*Online version of dev is now 1.0.0.*/)]").isNotEmpty());
        mvc.perform(get("/sandbox/deploy/minapp/" + app + "/dev/"))
            .andExpect(status().isOk()).andExpect(jsonPath("$.version").value("1.0.0"));

        publish("developer", app, "dev", "1.0.0").andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("app.version.alreadyPublished"));
    }

    @Test
    void productionWaitsForAReviewerThenPublishes() throws Exception {
        String app = newApp();
        String statusUrl = startPublish("developer", app, "prod", "2.1.0");
        long approvalId = awaitApproval(app, "2.1.0");
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("PENDING_PUBLISH"))
            .andExpect(jsonPath("$.reviewProcessInstanceId").exists());

        decide("reviewer", approvalId, "APPROVE", null).andExpect(status().isOk());
        awaitStatus("developer", statusUrl, "PUBLISHED");
        assertThat(onlineVersion(app, "prod")).isEqualTo("2.1.0");
    }

    @Test
    void aRejectionSendsTheVersionBackToPendingWithTheReasonAndFreesTheEnvironment() throws Exception {
        String app = newApp();
        String statusUrl = startPublish("developer", app, "prod", "1.1.0");
        long approvalId = awaitApproval(app, "1.1.0");
        decide("reviewer", approvalId, "REJECT", "Release notes missing").andExpect(status().isOk());

        awaitRunning("developer", statusUrl, false);
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("PENDING_PUBLISH"))
            .andExpect(jsonPath("$.reason").value(org.hamcrest.Matchers.containsString("Release notes missing")));
        assertThat(onlineVersion(app, "prod")).isNull();
        // The environment is free again: the same version can be published once more.
        publish("developer", app, "prod", "1.1.0").andExpect(status().isAccepted());
    }

    @Test
    void anExpiredApprovalReturnsTheVersionToPending() throws Exception {
        String app = newApp();
        String statusUrl = startPublish("developer", app, "prod", "1.2.0");
        long approvalId = awaitApproval(app, "1.2.0");
        String reviewPid = jdbc.sql("SELECT process_instance_id FROM mf_approval WHERE id = ?").param(approvalId)
            .query(String.class).single();
        Job expiry = managementService.createJobQuery().processInstanceId(reviewPid).timers()
            .activityId("BoundaryEvent_Expired").singleResult();
        managementService.executeJob(expiry.getId());

        awaitRunning("developer", statusUrl, false);
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("PENDING_PUBLISH"))
            .andExpect(jsonPath("$.reason").value(org.hamcrest.Matchers.containsString("EXPIRED")));
    }

    @Test
    void aWithdrawnApplicationEndsThePublish() throws Exception {
        String app = newApp();
        String statusUrl = startPublish("developer", app, "prod", "1.3.0");
        long approvalId = awaitApproval(app, "1.3.0");
        mvc.perform(post("/api/approvals/{id}/withdraw", approvalId).with(httpBasic("developer", "developer")))
            .andExpect(status().isOk());
        awaitRunning("developer", statusUrl, false);
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("PENDING_PUBLISH"))
            .andExpect(jsonPath("$.reason").value(org.hamcrest.Matchers.containsString("WITHDRAWN")));
    }

    @Test
    void thePublisherCannotApproveTheirOwnPublish() throws Exception {
        String app = newApp();
        startPublish("admin", app, "prod", "3.0.0");
        long approvalId = awaitApproval(app, "3.0.0");
        decide("admin", approvalId, "APPROVE", null).andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("approval.ownApplication"));
        decide("reviewer", approvalId, "APPROVE", null).andExpect(status().isOk());
        assertThat(jdbc.sql("SELECT decided_by FROM mf_approval_decision WHERE approval_id = ?").param(approvalId)
            .query(String.class).list()).containsExactly("reviewer");
    }

    @Test
    void anEnvironmentThatNeedsTwoApprovalsWaitsForTheSecondReviewer() throws Exception {
        String app = newApp();
        createEnvironment(app, "{\"envCode\":\"prod2\",\"name\":\"Production 2\",\"domain\":\"https://p2.example.com\","
            + "\"apiDomain\":\"https://api.p2.example.com\",\"deployConfig\":\"default\",\"requiresApproval\":true,"
            + "\"requiredApprovals\":2}").andExpect(status().isCreated());
        String statusUrl = startPublish("developer", app, "prod2", "1.0.0");
        long approvalId = awaitApproval(app, "1.0.0");
        decide("reviewer", approvalId, "APPROVE", null).andExpect(jsonPath("$.approval.status").value("PENDING"));
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("PENDING_PUBLISH"));
        decide("reviewer2", approvalId, "APPROVE", null).andExpect(jsonPath("$.approval.status").value("APPROVED"));
        awaitStatus("developer", statusUrl, "PUBLISHED");
    }

    @Test
    void aFailingDeployIsRetriedThenBecomesAnIncidentThatAnOperatorRetries() throws Exception {
        String app = newApp();
        faults.failNext("/minapp", 10);
        String statusUrl = startPublish("developer", app, "dev", "4.0.0");
        String pid = statusUrl.substring(statusUrl.lastIndexOf('/') + 1);

        Awaitility.await().atMost(WAIT).until(() ->
            runtimeService.createIncidentQuery().processInstanceId(pid).count() == 1);
        mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.status").value("FAILED"))
            .andExpect(jsonPath("$.incidents[0]").value(org.hamcrest.Matchers.containsString("simulated fault")))
            .andExpect(jsonPath("$.log[?(@.level == 'ERROR')]").isNotEmpty());
        // Engine retries: 2 attempts in the test profile, each logged.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_publish_log l JOIN mf_app_version v ON v.id = l.version_id"
                + " WHERE v.process_instance_id = ? AND l.level = 'ERROR'").param(pid).query(Long.class).single())
            .isEqualTo(2);

        faults.clear();
        Job failed = managementService.createJobQuery().processInstanceId(pid).singleResult();
        managementService.setJobRetries(failed.getId(), 1); // what Cockpit's "retry" does
        awaitStatus("developer", statusUrl, "PUBLISHED");
        assertThat(runtimeService.createIncidentQuery().processInstanceId(pid).count()).isZero();
    }

    @Test
    void aSecondPublishToTheSameEnvironmentIsRefusedWhileOneRuns() throws Exception {
        String app = newApp();
        startPublish("developer", app, "prod", "5.0.0");
        awaitApproval(app, "5.0.0");
        long versionsBefore = versionCount(app);
        publish("developer", app, "prod", "5.0.1").andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("app.publish.running"))
            .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("5.0.0")));
        assertThat(versionCount(app)).isEqualTo(versionsBefore);
        // Other environments are not blocked.
        publish("developer", app, "test", "5.0.1").andExpect(status().isAccepted());
    }

    @Test
    void rolesThatMayNotPublishOrEditAreRefused() throws Exception {
        String app = newApp();
        publish("reviewer", app, "dev", "1.0.0").andExpect(status().isForbidden())
            .andExpect(jsonPath("$.code").value("app.publish.notAllowed"));
        publish("operator", app, "dev", "1.0.0").andExpect(status().isForbidden());
        mvc.perform(post("/api/apps").with(httpBasic("reviewer", "reviewer")).contentType(MediaType.APPLICATION_JSON)
                .content(appBody("rv" + suffix())))
            .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("app.editorsOnly"));
        mvc.perform(post("/api/apps").with(httpBasic("mpadmin", "mpadmin")).contentType(MediaType.APPLICATION_JSON)
                .content(appBody("mp" + suffix())))
            .andExpect(status().isForbidden());
        publish("developer", "no-such-app", "dev", "1.0.0").andExpect(status().isNotFound());
        publish("developer", app, "staging", "1.0.0").andExpect(status().isNotFound())
            .andExpect(jsonPath("$.code").value("app.environment.notFound"));
    }

    @Test
    void duplicatesAnswer409() throws Exception {
        String app = newApp();
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content(appBody(app)))
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.exists"));
        createEnvironment(app, envBody("dev")).andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("app.environment.exists"));
    }

    @Test
    void aStartFromTasklistPublishesAsItsInitiator() throws Exception {
        String app = newApp();
        // What Tasklist does when a developer submits the start form: the engine knows the user and their groups.
        identityService.setAuthentication("developer", java.util.List.of("workspace-developer", "Demo.workspace-developer"));
        String pid;
        try {
            pid = runtimeService.startProcessInstanceByKey("app-publish", Map.of("workspace", "Demo", "appCode", app,
                "envCode", "test", "version", "0.9.0")).getId();
        } finally {
            identityService.clearAuthentication();
        }
        awaitStatus("developer", AppService.statusUrl(app, "test", pid), "PUBLISHED");
        assertThat(repositoryService.createDeploymentQuery().list().stream()
            .flatMap(d -> repositoryService.getDeploymentResourceNames(d.getId()).stream()))
            .anyMatch(name -> name.endsWith("app-publish-start.form"));
    }

    @Test
    void onlyVersionsThatWereNeverPublishedCanBeDeleted() throws Exception {
        String app = newApp();
        String published = startPublish("developer", app, "dev", "1.0.0");
        awaitStatus("developer", published, "PUBLISHED");
        String pending = startPublish("developer", app, "prod", "1.0.1");
        long approvalId = awaitApproval(app, "1.0.1");
        decide("reviewer", approvalId, "REJECT", "not now").andExpect(status().isOk());
        awaitRunning("developer", pending, false);

        mvc.perform(delete("/api/apps/{a}/environments/dev/versions/1.0.0", app).with(httpBasic("developer", "developer")))
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.version.notDeletable"));
        mvc.perform(delete("/api/apps/{a}/environments/prod/versions/1.0.1", app).with(httpBasic("developer", "developer")))
            .andExpect(status().isNoContent());
        mvc.perform(get("/api/apps/{a}/environments/prod", app).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.versions").isEmpty());
    }

    // --- helpers

    /** A fresh app in the demo workspace with dev and test (no approval) and prod (one approval). */
    String newApp() throws Exception {
        String app = "t" + suffix();
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content(appBody(app)))
            .andExpect(status().isCreated());
        createEnvironment(app, envBody("dev")).andExpect(status().isCreated());
        createEnvironment(app, envBody("test")).andExpect(status().isCreated());
        createEnvironment(app, "{\"envCode\":\"prod\",\"name\":\"Production\",\"domain\":\"https://p.example.com\","
            + "\"apiDomain\":\"https://api.p.example.com\",\"deployConfig\":\"default\",\"requiresApproval\":true}")
            .andExpect(status().isCreated());
        return app;
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    static String appBody(String appCode) {
        return "{\"workspace\":\"Demo\",\"appCode\":\"" + appCode + "\",\"name\":\"Test app\",\"engineVersion\":\"1.0.0\"}";
    }

    static String envBody(String envCode) {
        return "{\"envCode\":\"" + envCode + "\",\"name\":\"" + envCode + "\",\"domain\":\"https://" + envCode
            + ".example.com\",\"apiDomain\":\"https://api-" + envCode + ".example.com\",\"deployConfig\":\"default\","
            + "\"requiresApproval\":false}";
    }

    ResultActions createEnvironment(String app, String body) throws Exception {
        return mvc.perform(post("/api/apps/{a}/environments", app).with(httpBasic("developer", "developer"))
            .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    ResultActions publish(String user, String app, String env, String version) throws Exception {
        return mvc.perform(post("/api/apps/{a}/environments/{e}/publishes", app, env).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content("{\"version\":\"" + version + "\",\"note\":\"test\"}"));
    }

    String startPublish(String user, String app, String env, String version) throws Exception {
        String body = publish(user, app, env, version).andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString();
        return read(body).get("statusUrl").asText();
    }

    ResultActions decide(String user, long approvalId, String decision, String comment) throws Exception {
        Map<String, String> body = new java.util.HashMap<>();
        body.put("decision", decision);
        body.put("comment", comment);
        return mvc.perform(post("/api/approvals/{id}/decision", approvalId).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(body)));
    }

    long awaitApproval(String app, String version) {
        return Awaitility.await().atMost(WAIT).until(() -> jdbc.sql(
                "SELECT id FROM mf_approval WHERE object_name = ? AND object_version = ? AND status = 'PENDING'")
            .params(app, version).query(Long.class).optional(), java.util.Optional::isPresent).orElseThrow();
    }

    void awaitStatus(String user, String statusUrl, String expected) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
            expected.equals(read(mvc.perform(get(statusUrl).with(httpBasic(user, user))).andReturn().getResponse()
                .getContentAsString()).path("status").asText()));
    }

    void awaitRunning(String user, String statusUrl, boolean running) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
            read(mvc.perform(get(statusUrl).with(httpBasic(user, user))).andReturn().getResponse()
                .getContentAsString()).path("running").asBoolean() == running);
    }

    String onlineVersion(String app, String env) {
        return jdbc.sql("SELECT e.online_version FROM mf_app_environment e JOIN mf_app a ON a.id = e.app_id"
            + " WHERE a.app_code = ? AND e.env_code = ?").params(app, env).query((rs, i) -> rs.getString(1)).list().get(0);
    }

    long versionCount(String app) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_app_version v JOIN mf_app_environment e ON e.id = v.environment_id"
            + " JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ?").param(app).query(Long.class).single();
    }

    JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }
}
