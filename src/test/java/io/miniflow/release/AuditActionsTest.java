package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
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
 * Undo and speed up an audit, and submit a withdrawn one again, through the API with the WeChat emulator over HTTP:
 * each is a step or message in the mini program's release history, the emulator's limits come back as Miniflow's
 * message, and bad requests change nothing.
 */
@MiniflowIntegrationTest
class AuditActionsTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Audits of releases with this description stay under review until they are withdrawn. */
    private static final String HOLD = "h18b-hold";

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    HistoryService historyService;
    @Autowired
    WechatClient client;

    WechatSandboxHttp sandbox;
    long templateId;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":1500,\"privacy_scan_delay_millis\":0,"
            + "\"speedup_limit\":10}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"desc_contains\":\"" + HOLD + "\"}");
        templateId = ReleaseTestTemplates.own(client, sandbox, "audit actions");
    }

    @AfterEach
    void tearDown() throws Exception {
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
        sandbox.post("/sandbox/admin/wechat/settings", "{\"speedup_limit\":10}");
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
    }

    @Test
    void anUndoneAuditReturnsToCommittedIsNoLongerPolledAndIsSubmittedAgainOnRequest() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 2);
        String undone = appIds.get(0);
        long batch = start(appIds);
        await().atMost(WAIT).until(() -> stage(batch, undone).equals("AUDITING") && waitsAtAudit(batch, undone));
        String pid = pid(batch, undone);
        long firstAudit = latestAudit(undone).get("auditid").asLong();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_wait WHERE process_instance_id = ?").param(pid)
            .query(Long.class).single()).as("polled while it waits").isEqualTo(1);

        mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", batch, undone).with(mpadmin()))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.appId").value(undone))
            .andExpect(jsonPath("$.stage").value("COMMITTED"))
            .andExpect(jsonPath("$.lastError").value(ReleaseProgress.WITHDRAWN_NOTE));

        assertThat(latestAudit(undone).get("status").asInt()).as("withdrawn at the platform").isEqualTo(3);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_wait WHERE process_instance_id = ?").param(pid)
            .query(Long.class).single()).as("a withdrawn audit is not polled").isZero();
        assertThat(visited(pid)).contains("Task_UndoAudit", "Event_SubmitAgainRequested");
        assertThat(stage(batch, appIds.get(1))).as("the other one is left alone").isEqualTo("AUDITING");

        mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/submit-again", batch, undone).with(mpadmin()))
            .andExpect(status().isOk());
        await().atMost(WAIT).until(() -> waitsAtAudit(batch, undone));
        JsonNode again = latestAudit(undone);
        assertThat(again.get("auditid").asLong()).as("a new audit").isNotEqualTo(firstAudit);
        assertThat(again.get("status").asInt()).isEqualTo(2);
        assertThat(stage(batch, undone)).isEqualTo("AUDITING");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_wait WHERE process_instance_id = ?").param(pid)
            .query(Long.class).single()).as("polled again while it waits again").isEqualTo(1);
    }

    @Test
    void aSpeedUpIsAStepOfTheReleaseAndTheEmulatorsRefusalsComeBackAsMiniflowsMessage() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 1);
        String appId = appIds.get(0);
        long batch = start(appIds);
        await().atMost(WAIT).until(() -> waitsAtAudit(batch, appId));
        String pid = pid(batch, appId);
        int speedUpsLeft = sandbox.get("/sandbox/admin/wechat/settings").get("speedup_rest").asInt();

        mvc.perform(get("/api/wechat/releases/quota").with(mpadmin()))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.speedUpRemaining").value(speedUpsLeft))
            .andExpect(jsonPath("$.speedUpLimit").value(10))
            .andExpect(jsonPath("$.auditLimit").value(1000));

        mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/speed-up-audit", batch, appId).with(mpadmin()))
            .andExpect(status().isOk()).andExpect(jsonPath("$.stage").value("AUDITING"));
        assertThat(visited(pid)).contains("Task_SpeedUpAudit", "EndEvent_AuditSpedUp");
        assertThat(sandbox.get("/sandbox/admin/wechat/settings").get("speedup_rest").asInt())
            .isEqualTo(speedUpsLeft - 1);
        assertThat(waitsAtAudit(batch, appId)).as("still waits for its audit").isTrue();

        // The same audit twice: WeChat says it was sped up already (89404), in Miniflow's words, in both languages.
        mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/speed-up-audit", batch, appId).with(mpadmin())
                .locale(Locale.ENGLISH))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("wechat.error.89404"))
            .andExpect(jsonPath("$.detail").isNotEmpty())
            .andExpect(jsonPath("$.message_zh").isNotEmpty());
        assertThat(visitCount(pid, "Task_SpeedUpAudit")).as("the refused one left no trace").isEqualTo(1);

        // No speed-up left this month: 89405.
        sandbox.post("/sandbox/admin/wechat/settings", "{\"speedup_limit\":0}");
        String other = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        ReleaseTestTemplates.cancelActive(mvc, jdbc, templateId);
        long second = start(List.of(other));
        await().atMost(WAIT).until(() -> waitsAtAudit(second, other));
        mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/speed-up-audit", second, other).with(mpadmin()))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("wechat.error.89405"));
        assertThat(visitCount(pid(second, other), "Task_SpeedUpAudit")).isZero();
    }

    @Test
    void theUndoLimitOfTheDayIsTheEmulatorsAndTheReleaseKeepsWaitingWhenRefused() throws Exception {
        // WeChat allows 5 withdrawn audits a day per mini program; the sixth is refused with 87013.
        String appId = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        long batch = start(List.of(appId));
        for (int i = 1; i <= 5; i++) {
            await().atMost(WAIT).until(() -> waitsAtAudit(batch, appId));
            mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", batch, appId).with(mpadmin()))
                .andExpect(status().isOk());
            mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/submit-again", batch, appId).with(mpadmin()))
                .andExpect(status().isOk());
        }
        await().atMost(WAIT).until(() -> waitsAtAudit(batch, appId));
        long running = latestAudit(appId).get("auditid").asLong();
        mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", batch, appId).with(mpadmin())
                .locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("wechat.error.87013"))
            .andExpect(jsonPath("$.detail").isNotEmpty());
        assertThat(stage(batch, appId)).isEqualTo("AUDITING");
        assertThat(waitsAtAudit(batch, appId)).as("still waits for its audit").isTrue();
        assertThat(latestAudit(appId).get("auditid").asLong()).isEqualTo(running);
        assertThat(latestAudit(appId).get("status").asInt()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_wait WHERE process_instance_id = ?")
            .param(pid(batch, appId)).query(Long.class).single()).as("and is still polled").isEqualTo(1);
    }

    @Test
    void aSelectionIsCheckedWholeThenEachIsAsked() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 3);
        long batch = start(appIds);
        await().atMost(WAIT).until(() -> appIds.stream().allMatch(a -> waitsAtAudit(batch, a)));

        mvc.perform(post("/api/wechat/releases/{id}/undo-audit", batch).with(mpadmin())
                .contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("appIds", appIds.subList(0, 2)))))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.done.length()").value(2))
            .andExpect(jsonPath("$.refused.length()").value(0));
        assertThat(stage(batch, appIds.get(0))).isEqualTo("COMMITTED");
        assertThat(stage(batch, appIds.get(1))).isEqualTo("COMMITTED");
        assertThat(stage(batch, appIds.get(2))).isEqualTo("AUDITING");

        // The console: the confirmation page shows the limits, confirming submits the two again.
        org.springframework.mock.web.MockHttpSession console = login("mpadmin");
        // The batch page: the quotas, and each mini program's actions where they apply.
        String batchPage = mvc.perform(get("/wechat/releases/{id}", batch).session(console).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(batchPage).contains("Audit quota this month").contains("speed-ups")
            .contains("action=submit-again&amp;appIds=" + appIds.get(0))
            .contains("action=undo-audit&amp;appIds=" + appIds.get(2))
            .doesNotContain("action=undo-audit&amp;appIds=" + appIds.get(0));
        String page = mvc.perform(get("/wechat/releases/{id}/audit-actions", batch).session(console)
                .locale(Locale.ENGLISH).param("action", "undo-audit").param("appIds", appIds.get(2)))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("5 withdrawn audits a day").contains(appIds.get(2));
        mvc.perform(post("/wechat/releases/{id}/audit-actions", batch).session(console).with(csrf())
                .param("action", "submit-again").param("appIds", appIds.get(0), appIds.get(1)))
            .andExpect(status().is3xxRedirection())
            .andExpect(flash().attributeExists("message"));
        await().atMost(WAIT).until(() -> waitsAtAudit(batch, appIds.get(0)) && waitsAtAudit(batch, appIds.get(1)));
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        List<String> appIds = ReleaseTestTemplates.authorize(sandbox, jdbc, 2);
        long batch = start(appIds);
        await().atMost(WAIT).until(() -> appIds.stream().allMatch(a -> waitsAtAudit(batch, a)));
        String stranger = ReleaseTestTemplates.authorize(sandbox, jdbc, 1).get(0);
        sandbox.delete("/sandbox/admin/wechat/stats");

        List<String> tooMany = new ArrayList<>(Collections.nCopies(AuditActions.MAX_SELECTION, "wx")
            .stream().map(s -> s + Math.abs(s.hashCode() + System.nanoTime())).toList());
        tooMany.add(appIds.get(0));
        String[] badBodies = {
            "{}",
            "{\"appIds\":[]}",
            "{\"appIds\":[\"bad appid!\"]}",
            "{\"appIds\":[null]}",
            "{\"appIds\":\"" + appIds.get(0) + "\"}",
            "{\"appIds\":[\"" + appIds.get(0) + "\", 5]}",
            json.writeValueAsString(Map.of("appIds", tooMany)),
            // One of them is not part of this batch: nobody is asked.
            json.writeValueAsString(Map.of("appIds", List.of(appIds.get(0), stranger)))};
        for (String body : badBodies) {
            for (String action : List.of("undo-audit", "speed-up-audit", "submit-again")) {
                expectProblem(mvc.perform(post("/api/wechat/releases/{id}/" + action, batch).with(mpadmin())
                    .contentType(MediaType.APPLICATION_JSON).content(body)), 400);
            }
        }
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/undo-audit", batch).with(mpadmin())
            .contentType(MediaType.APPLICATION_JSON).content("not json")), 400);
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", batch, "bad.appid")
            .with(mpadmin())), 400);
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", batch, stranger)
            .with(mpadmin())), 404);
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", 987_654_321L,
            appIds.get(0)).with(mpadmin())), 404);
        // Wrong state: nothing was withdrawn, so nothing can be submitted again; a selection with one such is refused.
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/submit-again", batch, appIds.get(0))
            .with(mpadmin())), 409);
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/submit-again", batch).with(mpadmin())
            .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of("appIds", appIds)))), 409);
        // Not a releaser of the workspace.
        expectProblem(mvc.perform(post("/api/wechat/releases/{id}/items/{appId}/undo-audit", batch, appIds.get(0))
            .with(httpBasic("developer", "developer"))), 403);

        for (String appId : appIds) {
            assertThat(stage(batch, appId)).isEqualTo("AUDITING");
            assertThat(waitsAtAudit(batch, appId)).isTrue();
            assertThat(latestAudit(appId).get("status").asInt()).isEqualTo(2);
        }
        JsonNode perApi = sandbox.get("/sandbox/admin/wechat/stats").get("per_api");
        assertThat(perApi.has("wxa/undocodeaudit")).as("undocodeaudit called").isFalse();
        assertThat(perApi.has("wxa/speedupaudit")).as("speedupaudit called").isFalse();
    }

    // --- helpers

    private void expectProblem(ResultActions result, int status) throws Exception {
        result.andExpect(status().is(status));
        if (status != 404 || result.andReturn().getResponse().getContentAsString().contains("detail")) {
            result.andExpect(jsonPath("$.detail").isNotEmpty());
        }
    }

    private org.springframework.mock.web.MockHttpSession login(String user) throws Exception {
        return (org.springframework.mock.web.MockHttpSession) mvc.perform(post("/login").with(csrf())
                .param("username", user).param("password", user))
            .andExpect(status().is3xxRedirection()).andReturn().getRequest().getSession();
    }

    private static org.springframework.test.web.servlet.request.RequestPostProcessor mpadmin() {
        return httpBasic("mpadmin", "mpadmin");
    }

    private long start(List<String> appIds) throws Exception {
        String body = mvc.perform(post("/api/wechat/releases").with(mpadmin()).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(Map.of("templateId", templateId, "appIds", appIds, "userVersion",
                    "18.0." + System.nanoTime() % 100000, "userDesc", HOLD, "concurrency", 5))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        return json.readTree(body).get("releaseId").asLong();
    }

    /** The latest audit as the platform answers it (auditid, status: 2 under review, 3 withdrawn). */
    private JsonNode latestAudit(String appId) {
        WechatClient.AuditStatus a = client.latestAudit(appId);
        return json.valueToTree(Map.of("auditid", a.auditId(), "status", a.status()));
    }

    private String stage(long batch, String appId) {
        return jdbc.sql("SELECT stage FROM mf_release_item WHERE batch_id = ? AND app_id = ?").params(batch, appId)
            .query(String.class).single();
    }

    private String pid(long batch, String appId) {
        return jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ? AND app_id = ?")
            .params(batch, appId).query(String.class).single();
    }

    private boolean waitsAtAudit(long batch, String appId) {
        String pid = jdbc.sql("SELECT process_instance_id FROM mf_release_item WHERE batch_id = ? AND app_id = ?")
            .params(batch, appId).query(String.class).optional().orElse(null);
        return pid != null && jdbc.sql("SELECT COUNT(*) FROM ACT_RU_EXECUTION WHERE PROC_INST_ID_ = ?"
            + " AND ACT_ID_ = 'Event_AuditResult'").param(pid).query(Long.class).single() > 0;
    }

    private List<String> visited(String pid) {
        return historyService.createHistoricActivityInstanceQuery().processInstanceId(pid).list().stream()
            .map(a -> a.getActivityId()).toList();
    }

    private long visitCount(String pid, String activityId) {
        return historyService.createHistoricActivityInstanceQuery().processInstanceId(pid).activityId(activityId)
            .count();
    }
}
