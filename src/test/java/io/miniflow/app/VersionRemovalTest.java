package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Removing an environment's online version (seed 000, seed 004's removal applications) through the API: nothing
 * happens before a reviewer approves; approved, the previous version is deployed and online again, with the log, and
 * the removed one is REMOVED; bad requests change nothing.
 */
@MiniflowIntegrationTest
class VersionRemovalTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    HistoryService historyService;

    @Test
    void anApprovedRemovalPutsThePreviousVersionBackOnlineAndMarksTheRemovedOneRemoved() throws Exception {
        String app = appWithTwoVersions();
        JsonNode requested = read(removal("developer", app, "dev", "1.1.0").andExpect(status().isAccepted())
            .andExpect(jsonPath("$.statusUrl").value("/api/apps/" + app + "/environments/dev"))
            .andReturn().getResponse().getContentAsString());
        long approvalId = requested.get("approvalId").asLong();
        String pid = requested.get("processInstanceId").asText();
        mvc.perform(get("/api/approvals/{id}", approvalId).with(httpBasic("reviewer", "reviewer")))
            .andExpect(jsonPath("$.approval.category").value("REMOVAL"))
            .andExpect(jsonPath("$.approval.objectName").value(app))
            .andExpect(jsonPath("$.approval.objectVersion").value("1.1.0"))
            .andExpect(jsonPath("$.approval.environment").value("dev"))
            .andExpect(jsonPath("$.approval.applicant").value("developer"));

        // Nothing happens on the applicant's word: still online, and the environment is held for the removal.
        assertThat(online(app)).isEqualTo("1.1.0");
        assertThat(versionStatus(app, "1.1.0")).isEqualTo("PUBLISHED");
        publish(app, "1.2.0").andExpect(status().isConflict());
        decide("developer", approvalId, "APPROVE").andExpect(status().isForbidden());
        assertThat(online(app)).isEqualTo("1.1.0");

        decide("reviewer", approvalId, "APPROVE").andExpect(status().isOk());
        Awaitility.await().atMost(WAIT).until(() -> "1.0.0".equals(online(app)));
        assertThat(versionStatus(app, "1.1.0")).isEqualTo("REMOVED");
        assertThat(versionStatus(app, "1.0.0")).isEqualTo("PUBLISHED");
        mvc.perform(get("/sandbox/deploy/minapp/" + app + "/dev/"))
            .andExpect(status().isOk()).andExpect(jsonPath("$.version").value("1.0.0"));
        assertThat(log(app, "1.1.0")).anyMatch(l -> l.contains("Removed: the online version of dev is 1.0.0 again"));
        assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(pid).list().stream()
            .map(a -> a.getActivityId()).toList())
            .contains("CallActivity_Review", "Task_DeployPrevious", "Task_SwitchBack", "EndEvent_Removed");
        Awaitility.await().atMost(WAIT).until(() -> publishingVersion(app) == null);
        // The environment is free again: the next publish goes ahead.
        publish(app, "1.2.0").andExpect(status().isAccepted());
    }

    @Test
    void aRejectedRemovalLeavesTheVersionOnline() throws Exception {
        String app = appWithTwoVersions();
        long approvalId = read(removal("developer", app, "dev", "1.1.0").andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString()).get("approvalId").asLong();
        mvc.perform(post("/api/approvals/{id}/decision", approvalId).with(httpBasic("reviewer", "reviewer"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"decision\":\"REJECT\",\"comment\":\"still needed\"}"))
            .andExpect(status().isOk());
        Awaitility.await().atMost(WAIT).until(() -> publishingVersion(app) == null);
        assertThat(online(app)).isEqualTo("1.1.0");
        assertThat(versionStatus(app, "1.1.0")).isEqualTo("PUBLISHED");
        assertThat(log(app, "1.1.0")).anyMatch(l -> l.contains("Not removed: approval REJECTED - still needed"));
    }

    @Test
    void theConsoleAsksFirstAndNamesTheVersionThatGoesBackOnline() throws Exception {
        String app = appWithTwoVersions();
        MockHttpSession session = (MockHttpSession) mvc.perform(post("/login").with(csrf())
                .param("username", "developer").param("password", "developer"))
            .andExpect(status().is3xxRedirection()).andReturn().getRequest().getSession();
        String page = mvc.perform(get("/apps/{a}/environments/dev", app).session(session).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("/apps/" + app + "/environments/dev/versions/1.1.0/removal");
        String confirm = mvc.perform(get("/apps/{a}/environments/dev/versions/1.1.0/removal", app).session(session)
                .locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(confirm).contains("goes back to version 1.0.0");
        assertThat(online(app)).as("asking changes nothing").isEqualTo("1.1.0");
        mvc.perform(post("/apps/{a}/environments/dev/versions/1.1.0/removal", app).session(session).with(csrf()))
            .andExpect(status().is3xxRedirection());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_approval WHERE object_name = ? AND category = 'REMOVAL'")
            .param(app).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void badRemovalRequestsAreRefusedAndChangeNothing() throws Exception {
        String app = appWithTwoVersions();
        String single = "rm" + AppPublishTest.suffix();
        DemoApps.publishingToDev(mvc, single, "1.0.0");
        Awaitility.await().atMost(WAIT).until(() -> "1.0.0".equals(online(single)));
        long approvals = jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single();

        expect(removal("developer", app, "dev", "1.0.0"), 409, "removal.notOnline");
        expect(removal("developer", single, "dev", "1.0.0"), 409, "removal.noPrevious");
        expect(removal("developer", app, "dev", "9.9.9"), 404, "app.version.notFound");
        expect(removal("developer", app, "prod", "1.1.0"), 404, "app.environment.notFound");
        expect(removal("developer", "no-such-app", "dev", "1.1.0"), 404, "app.notFound");
        expect(removal("developer", app, "dev", "1.x"), 400, "app.version.format");
        expect(removal("developer", "Bad_App", "dev", "1.1.0"), 400, "app.appCode.path");
        expect(removal("developer", app, "DEV", "1.1.0"), 400, "app.envCode.path");
        expect(removal("reviewer", app, "dev", "1.1.0"), 403, null);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single()).isEqualTo(approvals);
        assertThat(online(app)).isEqualTo("1.1.0");
        assertThat(publishingVersion(app)).isNull();

        // One removal at a time: a second one while the first waits for its review.
        removal("developer", app, "dev", "1.1.0").andExpect(status().isAccepted());
        expect(removal("mpadmin", app, "dev", "1.1.0"), 409, "removal.running");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single()).isEqualTo(approvals + 1);
    }

    // --- helpers

    private String appWithTwoVersions() throws Exception {
        String app = "rm" + AppPublishTest.suffix();
        DemoApps.publishingToDev(mvc, app, "1.0.0");
        Awaitility.await().atMost(WAIT).until(() -> "1.0.0".equals(online(app)));
        publish(app, "1.1.0").andExpect(status().isAccepted());
        Awaitility.await().atMost(WAIT).until(() -> "1.1.0".equals(online(app)) && publishingVersion(app) == null);
        return app;
    }

    private void expect(ResultActions result, int status, String code) throws Exception {
        result.andExpect(status().is(status)).andExpect(jsonPath("$.detail").isNotEmpty());
        if (code != null) {
            result.andExpect(jsonPath("$.code").value(code));
        }
    }

    private ResultActions removal(String user, String app, String env, String version) throws Exception {
        return mvc.perform(post("/api/apps/{a}/environments/{e}/versions/{v}/removal", app, env, version)
            .with(httpBasic(user, user)));
    }

    private ResultActions publish(String app, String version) throws Exception {
        return mvc.perform(post("/api/apps/{a}/environments/dev/publishes", app).with(httpBasic("developer", "developer"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"version\":\"" + version + "\",\"note\":\"test\"}"));
    }

    private ResultActions decide(String user, long approvalId, String decision) throws Exception {
        return mvc.perform(post("/api/approvals/{id}/decision", approvalId).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("decision", decision))));
    }

    private String online(String app) {
        return jdbc.sql("SELECT e.online_version FROM mf_app_environment e JOIN mf_app a ON a.id = e.app_id"
            + " WHERE a.app_code = ? AND e.env_code = 'dev'").param(app).query(String.class).optional().orElse(null);
    }

    private Long publishingVersion(String app) {
        return jdbc.sql("SELECT e.publishing_version_id FROM mf_app_environment e JOIN mf_app a ON a.id = e.app_id"
            + " WHERE a.app_code = ? AND e.env_code = 'dev'").param(app).query(Long.class).optional().orElse(null);
    }

    private String versionStatus(String app, String version) {
        return jdbc.sql("SELECT v.status FROM mf_app_version v JOIN mf_app_environment e ON e.id = v.environment_id"
                + " JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ? AND e.env_code = 'dev' AND v.version = ?")
            .params(app, version).query(String.class).single();
    }

    private List<String> log(String app, String version) {
        return jdbc.sql("SELECT l.message FROM mf_publish_log l JOIN mf_app_version v ON v.id = l.version_id"
                + " JOIN mf_app_environment e ON e.id = v.environment_id JOIN mf_app a ON a.id = e.app_id"
                + " WHERE a.app_code = ? AND e.env_code = 'dev' AND v.version = ? ORDER BY l.id")
            .params(app, version).query(String.class).list();
    }

    private JsonNode read(String body) throws Exception {
        return json.readTree(body);
    }
}
