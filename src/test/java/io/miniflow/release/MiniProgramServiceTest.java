package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

/**
 * Suspending a mini program's service (a removal application) and restoring it, through the API with the WeChat
 * emulator over HTTP: nothing changes at the platform before a reviewer approves; the emulator keeps the visit status
 * and refuses as WeChat does; bad requests change nothing.
 */
@MiniflowIntegrationTest
class MiniProgramServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    WechatClient client;
    @Autowired
    HistoryService historyService;

    WechatSandboxHttp sandbox;
    long templateId;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":500,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        templateId = ReleaseTestTemplates.own(client, sandbox, "service");
    }

    @AfterEach
    void tearDown() throws Exception {
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
    }

    @Test
    void aSuspensionWaitsForItsApprovalThenClosesTheServiceAndARestoreOpensItAgain() throws Exception {
        String appId = released();
        assertThat(client.visitStatus(appId)).as("open before").isEqualTo(1);

        JsonNode requested = read(service("mpadmin", appId, "suspend", null).andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString());
        long approvalId = requested.get("approvalId").asLong();
        mvc.perform(get("/api/approvals/{id}", approvalId).with(httpBasic("reviewer", "reviewer")))
            .andExpect(jsonPath("$.approval.category").value("REMOVAL"))
            .andExpect(jsonPath("$.approval.objectName").value(appId))
            .andExpect(jsonPath("$.approval.applicant").value("mpadmin"));
        state(appId).andExpect(jsonPath("$.status").value("OPEN")).andExpect(jsonPath("$.pendingAction").value("SUSPEND"));
        // Not on the applicant's word.
        decide("mpadmin", approvalId, "APPROVE").andExpect(status().isForbidden());
        assertThat(client.visitStatus(appId)).isEqualTo(1);
        expect(service("mpadmin", appId, "suspend", null), 409, "service.pending");

        decide("reviewer", approvalId, "APPROVE").andExpect(status().isOk());
        await().atMost(WAIT).until(() -> "SUSPENDED".equals(stateOf(appId).path("status").asText())
            && stateOf(appId).path("pendingAction").isMissingNode());
        assertThat(client.visitStatus(appId)).as("closed at the platform").isZero();
        state(appId).andExpect(jsonPath("$.approvalId").value(approvalId))
            .andExpect(jsonPath("$.changedBy").value("mpadmin"));
        assertThat(visited(requested.get("processInstanceId").asText())).contains("Task_ChangeService",
            "EndEvent_ServiceChanged");
        expect(service("mpadmin", appId, "suspend", null), 409, "service.alreadySuspended");
        // The batch that released it marks it suspended, and its page says so.
        org.springframework.mock.web.MockHttpSession console = (org.springframework.mock.web.MockHttpSession) mvc
            .perform(post("/login").with(org.springframework.security.test.web.servlet.request
                .SecurityMockMvcRequestPostProcessors.csrf()).param("username", "developer").param("password", "developer"))
            .andReturn().getRequest().getSession();
        long batch = jdbc.sql("SELECT MAX(batch_id) FROM mf_release_item WHERE app_id = ?").param(appId)
            .query(Long.class).single();
        assertThat(mvc.perform(get("/wechat/releases/{id}", batch).session(console)).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString()).contains("/wechat/mini-programs/" + appId + "/service");
        assertThat(mvc.perform(get("/wechat/mini-programs/{a}/service", appId).session(console)
                .locale(java.util.Locale.ENGLISH)).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString()).contains("Suspended").contains("Apply for restore");

        long restore = read(service("mpadmin", appId, "restore", "{\"workspace\":\"Demo\"}")
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString()).get("approvalId").asLong();
        mvc.perform(get("/api/approvals/{id}", restore).with(httpBasic("reviewer", "reviewer")))
            .andExpect(jsonPath("$.approval.category").value("PUBLISH"));
        assertThat(client.visitStatus(appId)).isZero();
        decide("reviewer", restore, "APPROVE").andExpect(status().isOk());
        await().atMost(WAIT).until(() -> "OPEN".equals(stateOf(appId).path("status").asText()));
        assertThat(client.visitStatus(appId)).as("open again").isEqualTo(1);
    }

    @Test
    void theEmulatorsRefusalEndsTheApprovedRequestAsItWasWithItsWords() throws Exception {
        // Never released: WeChat has no online version to close (85021).
        String appId = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        JsonNode requested = read(service("mpadmin", appId, "suspend", null).andExpect(status().isAccepted())
            .andReturn().getResponse().getContentAsString());
        decide("reviewer", requested.get("approvalId").asLong(), "APPROVE").andExpect(status().isOk());
        await().atMost(WAIT).until(() -> stateOf(appId).has("lastRefusal")
            && stateOf(appId).path("pendingAction").isMissingNode());
        assertThat(stateOf(appId).get("lastRefusal").asText()).contains("85021");
        assertThat(stateOf(appId).get("status").asText()).isEqualTo("OPEN");
        assertThat(visited(requested.get("processInstanceId").asText())).contains("BoundaryEvent_PlatformRefused",
            "EndEvent_LeftAsItWas");
    }

    @Test
    void badServiceRequestsAreRefusedAndChangeNothing() throws Exception {
        String appId = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        long approvals = jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single();

        expect(service("mpadmin", "bad.appid", "suspend", null), 400, "release.appIdMalformed");
        expect(service("mpadmin", "wxnotauthorized0042", "suspend", null), 404, "service.notAuthorized");
        expect(service("mpadmin", appId, "restore", null), 409, "service.notSuspended");
        expect(service("developer", appId, "suspend", "{\"workspace\":\"Demo\"}"), 403, null);
        expect(service("mpadmin", appId, "suspend", "{\"workspace\":\"" + "w".repeat(65) + "\"}"), 400, null);
        expect(service("mpadmin", appId, "suspend", "{\"workspace\":5}"), 400, null);
        expect(service("mpadmin", appId, "suspend", "{\"workspace\":\"NoSuchWorkspace\"}"), 404, null);
        expect(mvc.perform(get("/api/wechat/mini-programs/{a}/service", "bad.appid").with(httpBasic("mpadmin", "mpadmin"))),
            400, null);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_approval").query(Long.class).single()).isEqualTo(approvals);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_mini_program_service WHERE app_id = ?").param(appId)
            .query(Long.class).single()).isZero();
        state(appId).andExpect(jsonPath("$.status").value("OPEN"));
        assertThat(client.visitStatus(appId)).isEqualTo(1);
    }

    // --- helpers

    /** An authorized mini program with a released version (WeChat closes only a mini program that is online). */
    private String released() throws Exception {
        String appId = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("templateId",
                    templateId, "appIds", List.of(appId), "userVersion", "18.1." + System.nanoTime() % 100000,
                    "userDesc", "service test"))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long batch = json.readTree(body).get("releaseId").asLong();
        await().atMost(WAIT).until(() -> "COMPLETED".equals(jdbc.sql("SELECT status FROM mf_release_batch WHERE id = ?")
            .param(batch).query(String.class).single()));
        return appId;
    }

    private void expect(ResultActions result, int status, String code) throws Exception {
        result.andExpect(status().is(status)).andExpect(jsonPath("$.detail").isNotEmpty());
        if (code != null) {
            result.andExpect(jsonPath("$.code").value(code));
        }
    }

    private ResultActions service(String user, String appId, String action, String body) throws Exception {
        var request = post("/api/wechat/mini-programs/{a}/" + action, appId).with(httpBasic(user, user));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return mvc.perform(request);
    }

    private ResultActions state(String appId) throws Exception {
        return mvc.perform(get("/api/wechat/mini-programs/{a}/service", appId).with(httpBasic("developer", "developer")))
            .andExpect(status().isOk());
    }

    private JsonNode stateOf(String appId) throws Exception {
        return read(state(appId).andReturn().getResponse().getContentAsString());
    }

    private ResultActions decide(String user, long approvalId, String decision) throws Exception {
        return mvc.perform(post("/api/approvals/{id}/decision", approvalId).with(httpBasic(user, user))
            .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("decision", decision))));
    }

    private List<String> visited(String pid) {
        return historyService.createHistoricActivityInstanceQuery().processInstanceId(pid).list().stream()
            .map(a -> a.getActivityId()).toList();
    }

    private JsonNode read(String body) throws Exception {
        return json.readTree(body);
    }
}
