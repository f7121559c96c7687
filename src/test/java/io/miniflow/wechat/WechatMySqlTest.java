package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The WeChat tables on MySQL/MariaDB (skipped without one): the emulator's state, counters and far-future audits,
 * and Miniflow's ticket, token lease and authorizer upserts, through a release driven over HTTP.
 */
@MySqlIntegrationTest
class WechatMySqlTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    @LocalServerPort
    int port;
    @Autowired
    WechatMiniProgramCodeAdapter adapter;
    @Autowired
    WechatClient client;
    @Autowired
    WechatStore store;

    @Test
    void shouldCarryAReleaseAndItsPushesOnMySql() {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":200,\"privacy_scan_delay_millis\":0}");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
        long template = client.templates(null).get(0).templateId();

        String appId = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1}").get(0).get("appid").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> store.authorizer(appId)
            .map(a -> a.refreshToken() != null && a.nickName() != null).orElse(false));
        adapter.commit(appId, template, "{}", "1.0.0", "mysql");
        adapter.submitAudit(appId, "mysql", null);
        await().atMost(Duration.ofSeconds(20)).until(() -> adapter.latestAudit(appId).status()
            == io.miniflow.release.AuditStatus.PASSED);
        adapter.release(appId);
        assertThat(adapter.versionInfo(appId).releaseVersion()).isEqualTo("1.0.0");

        String held = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0)
            .get("appid").asText();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"appid\":\"" + held + "\"}");
        adapter.commit(held, template, "{}", "1.0.0", "held");
        adapter.submitAudit(held, "held", null);
        assertThat(adapter.latestAudit(held).status()).isEqualTo(io.miniflow.release.AuditStatus.UNDER_REVIEW);
        assertThat(sandbox.get("/sandbox/admin/wechat/stats").at("/per_appid/" + appId + "/calls").asLong())
            .isPositive();
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
    }
}
