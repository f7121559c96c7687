package io.miniflow.console;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.sandbox.wechat.WechatSandboxHttp;

/**
 * A small WeChat template release batch for the Cockpit tests, started the way an mpadmin starts one (the API) against
 * the sandbox's WeChat emulator: some mini programs are released and their wechat-mp-release ends, the emulator keeps
 * the others under audit so theirs, and the batch, keep running until {@link #cancel}.
 */
final class CockpitReleaseBatches {

    private static final Duration WAIT = Duration.ofSeconds(90);

    /** The batch's id and process instance, and each mini program's release instance by its appid. */
    record Batch(long id, String processInstanceId, Map<String, String> releases, List<String> released,
                 List<String> held) {
    }

    private final WechatSandboxHttp sandbox;
    private final MockMvc mvc;
    private final ObjectMapper json;
    private final JdbcClient jdbc;

    CockpitReleaseBatches(int port, MockMvc mvc, ObjectMapper json, JdbcClient jdbc) {
        this.sandbox = new WechatSandboxHttp(port);
        this.mvc = mvc;
        this.json = json;
        this.jdbc = jdbc;
    }

    /** Releases {@code released} mini programs to the end and holds {@code held} others in the audit. */
    Batch start(int released, int held) throws Exception {
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":200,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        long templateId = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
            "SELECT MIN(template_id) FROM sandbox_wechat_template").query(Long.class).single(), id -> id != null);
        List<String> appIds = authorize(released + held);
        List<String> heldIds = appIds.subList(0, held);
        for (String appId : heldIds) {
            sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"appid\":\"" + appId + "\"}");
        }
        String body = mvc.perform(post("/api/wechat/releases").with(httpBasic("mpadmin", "mpadmin"))
                .contentType(MediaType.APPLICATION_JSON).content(json.writeValueAsString(Map.of(
                    "templateId", templateId, "appIds", appIds, "userVersion", "9.0." + System.nanoTime() % 1000,
                    "userDesc", "cockpit links", "concurrency", appIds.size()))))
            .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        long id = json.readTree(body).get("releaseId").asLong();

        String batchPid = jdbc.sql("SELECT process_instance_id FROM mf_release_batch WHERE id = ?").param(id)
            .query(String.class).single();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage = 'RELEASED'").param(id)
            .query(Long.class).single() == released);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> jdbc.sql(
            "SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND process_instance_id IS NOT NULL").param(id)
            .query(Long.class).single() == appIds.size());
        Map<String, String> releases = new LinkedHashMap<>();
        jdbc.sql("SELECT app_id, process_instance_id FROM mf_release_item WHERE batch_id = ?").param(id)
            .query((rs, i) -> releases.put(rs.getString(1), rs.getString(2))).list();
        List<String> releasedIds = appIds.subList(held, appIds.size());
        // Released, the mini programs' processes end; the held ones wait for their audit.
        await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> releasedIds.stream().allMatch(appId ->
            jdbc.sql("SELECT COUNT(*) FROM ACT_HI_PROCINST WHERE PROC_INST_ID_ = ? AND END_TIME_ IS NOT NULL")
                .param(releases.get(appId)).query(Long.class).single() == 1));
        return new Batch(id, batchPid, releases, releasedIds, heldIds);
    }

    /** Ends the batch (one batch per template: the next test needs the template) and the emulator's hold. */
    void cancel(Batch batch) throws Exception {
        if (batch != null) {
            mvc.perform(post("/api/wechat/releases/{id}/cancel", batch.id()).with(httpBasic("mpadmin", "mpadmin")));
        }
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
    }

    private List<String> authorize(int n) {
        List<String> appIds = new ArrayList<>();
        for (JsonNode a : sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":" + n + ",\"push\":true}")) {
            appIds.add(a.get("appid").asText());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED' AND app_id IN ("
                    + String.join(",", appIds.stream().map(a -> "?").toList()) + ")")
            .params(new ArrayList<Object>(appIds)).query(Long.class).single() == n);
        return appIds;
    }
}
