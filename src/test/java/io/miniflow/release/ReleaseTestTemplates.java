package io.miniflow.release;

import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

/**
 * What the release tests of issue #18 share: a template of the emulator's library that no other test releases (one
 * batch per template: a batch left active must not make another test's template busy), authorized mini programs,
 * and ending the batches a test started.
 */
final class ReleaseTestTemplates {

    private static final Map<String, Long> OWN = new ConcurrentHashMap<>();

    private ReleaseTestTemplates() {
    }

    /** A template of its own for {@code purpose}: a new draft of the development mini program added to the library. */
    static long own(WechatClient client, WechatSandboxHttp sandbox, String purpose) {
        return OWN.computeIfAbsent(purpose, p -> {
            String desc = "h18b " + p + " " + System.nanoTime();
            long draft = sandbox.post("/sandbox/admin/wechat/drafts", "{\"user_version\":\"18.0.0\",\"user_desc\":\""
                + desc + "\"}").get("draft_id").asLong();
            client.addToTemplate(draft, 0);
            return client.templates(null).stream().filter(t -> desc.equals(t.userDesc()))
                .mapToLong(WechatClient.Template::templateId).max().orElseThrow();
        });
    }

    static List<String> authorize(WechatSandboxHttp sandbox, JdbcClient jdbc, int n) {
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

    /** Cancels the batches of this template that are still active, so the next test may release it. */
    static void cancelActive(MockMvc mvc, JdbcClient jdbc, long templateId) throws Exception {
        for (Long id : jdbc.sql("SELECT id FROM mf_release_batch WHERE template_id = ?"
                + " AND status IN ('RUNNING', 'PAUSED', 'HALTED')").param(templateId).query(Long.class).list()) {
            mvc.perform(post("/api/wechat/releases/{id}/cancel", id).with(httpBasic("mpadmin", "mpadmin")));
        }
    }
}
