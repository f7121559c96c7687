package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.event.ApplicationEventMulticaster;

/**
 * The emulator's pushes travel over real HTTP to /wechat/callback and are processed: the verify ticket is stored,
 * a new authorizer is recorded with its refresh token, and audit results reach listeners as AuditResultReceived.
 */
@MiniflowIntegrationTest
class WechatEndToEndTest {

    @LocalServerPort
    int port;
    @Autowired
    WechatStore store;
    @Autowired
    WechatSettings settings;
    @Autowired
    WechatClient client;
    @Autowired
    ApplicationContext context;

    WechatSandboxHttp sandbox;
    final List<AuditResultReceived> received = new CopyOnWriteArrayList<>();
    final ApplicationListener<ApplicationEvent> listener = event -> {
        if (event instanceof PayloadApplicationEvent<?> p && p.getPayload() instanceof AuditResultReceived r) {
            received.add(r);
        }
    };

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":200,\"privacy_scan_delay_millis\":0}");
        context.getBean(ApplicationEventMulticaster.class).addApplicationListener(listener);
        // the first ticket push may still be on its way when this is the first test of the suite
        await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
    }

    @AfterEach
    void tearDown() {
        context.getBean(ApplicationEventMulticaster.class).removeApplicationListener(listener);
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
    }

    @Test
    void shouldStoreEveryPushedTicket() {
        String pushed = sandbox.post("/sandbox/admin/wechat/ticket", "{}").get("component_verify_ticket").asText();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(store.ticket(settings.componentAppId())).hasValueSatisfying(t ->
                assertThat(t.ticket()).isEqualTo(pushed)));
    }

    @Test
    void shouldRecordANewAuthorizerFromTheAuthorizedPush() {
        JsonNode created = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"nick_name\":\"E2E Shop\"}")
            .get(0);
        String appId = created.get("appid").asText();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
            assertThat(store.authorizer(appId)).hasValueSatisfying(a -> {
                assertThat(a.authorized()).isTrue();
                assertThat(a.refreshToken()).isEqualTo(created.get("refresh_token").asText());
                assertThat(a.nickName()).isEqualTo("E2E Shop");
                assertThat(a.userName()).isEqualTo(created.get("user_name").asText());
            }));

        sandbox.post("/sandbox/admin/wechat/authorizers/" + appId + "/revoke", "{}");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(store.authorizer(appId).orElseThrow().status()).isEqualTo("REVOKED"));
    }

    @Test
    void shouldHandAuditResultsToListeners() {
        String passing = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1}").get(0).get("appid").asText();
        String failing = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1}").get(0).get("appid").asText();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"appid\":\"" + failing
            + "\",\"reason\":\"e2e rejection\"}");
        long template = client.templates(null).get(0).templateId();

        long passingAudit = commitAndSubmit(passing, template);
        long failingAudit = commitAndSubmit(failing, template);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(received).contains(new AuditResultReceived(passing, passingAudit, "SUCCESS", null, List.of()));
            assertThat(received).anySatisfy(r -> {
                assertThat(r.appId()).isEqualTo(failing);
                assertThat(r.auditId()).isEqualTo(failingAudit);
                assertThat(r.status()).isEqualTo("FAIL");
                assertThat(r.reason()).isEqualTo("e2e rejection");
                assertThat(r.screenshots()).hasSize(2);
            });
        });
    }

    private long commitAndSubmit(String appId, long template) {
        // The authorized push is processed asynchronously; until then the token manager finds the app on its own.
        client.commit(appId, template, "{\"extAppid\":\"" + appId + "\"}", "1.0.0", "e2e");
        return client.submitAudit(appId, "e2e", null, false);
    }
}
