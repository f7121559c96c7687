package io.miniflow.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.wechat.crypto.WechatMessageCrypto;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The push faults of the emulator over its control API: audit pushes dropped, sent twice, sent before submit_audit
 * answers, overtaken by a later one. The pushes go to the sandbox's webhook receiver here (the message URL is read at
 * each push), so the test sees exactly what was delivered and when.
 */
@MiniflowIntegrationTest
class WechatSandboxPushFaultsTest {

    private static final String MESSAGE_URL = "miniflow.sandbox.wechat.message-callback-url";

    @LocalServerPort
    int port;

    WechatSandboxHttp http;
    String componentToken;
    String receiver;
    WechatMessageCrypto crypto;

    @BeforeEach
    void setUp() {
        http = new WechatSandboxHttp(port);
        http.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":300,\"privacy_scan_delay_millis\":0}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !http.get("/sandbox/admin/wechat/platform")
            .path("component_verify_ticket").isNull());
        componentToken = http.componentToken();
        JsonNode platform = http.get("/sandbox/admin/wechat/platform");
        crypto = new WechatMessageCrypto(platform.get("token").asText(), platform.get("encoding_aes_key").asText(),
            platform.get("component_appid").asText());
        receiver = "push-faults-" + System.nanoTime();
        System.setProperty(MESSAGE_URL, "http://localhost:" + port + "/sandbox/receiver/" + receiver + "/$APPID$");
    }

    @AfterEach
    void tearDown() {
        System.clearProperty(MESSAGE_URL);
        http.delete("/sandbox/admin/wechat/push-faults");
        http.delete("/sandbox/admin/receiver/" + receiver);
    }

    @Test
    void badPushFaultsAreRefusedAndChangeNothing() {
        http.post("/sandbox/admin/wechat/push-faults", "{\"drop_rate\":0.25}");
        for (String body : List.of("{\"drop_rate\":1.5}", "{\"duplicate_rate\":-0.1}", "{\"early\":\"yes\"}",
                "{\"drop_rate\":\"half\"}", "{\"drop_rate\":0.5,\"lose_rate\":0.5}")) {
            JsonNode answer = http.post("/sandbox/admin/wechat/push-faults", body);
            assertThat(answer.path("errcode").asInt()).as(body).isEqualTo(400);
            assertThat(answer.path("errmsg").asText()).as(body).isNotBlank();
        }
        JsonNode faults = http.get("/sandbox/admin/wechat/settings").get("push_faults");
        assertThat(faults.get("drop_rate").asDouble()).isEqualTo(0.25);
        assertThat(faults.get("duplicate_rate").asDouble()).isZero();

        JsonNode set = http.post("/sandbox/admin/wechat/push-faults", "{\"duplicate_rate\":0.5,\"early\":true}")
            .get("push_faults");
        assertThat(set.get("drop_rate").asDouble()).as("a subset leaves the others").isEqualTo(0.25);
        assertThat(set.get("duplicate_rate").asDouble()).isEqualTo(0.5);
        assertThat(set.get("early_rate").asDouble()).isEqualTo(1.0);
        JsonNode cleared = http.delete("/sandbox/admin/wechat/push-faults").get("push_faults");
        for (String name : List.of("drop_rate", "duplicate_rate", "early_rate", "reorder_rate")) {
            assertThat(cleared.get(name).asDouble()).as(name).isZero();
        }
    }

    @Test
    void aDroppedPushIsNeverSentAndTheAuditIsStillDecided() throws Exception {
        JsonNode before = pushStats();
        http.post("/sandbox/admin/wechat/push-faults", "{\"drop_rate\":1}");
        String[] app = committedApp("2.0.1");
        long auditId = submit(app);
        await().atMost(Duration.ofSeconds(10)).until(() -> auditStatus(app, auditId) == 0);
        Thread.sleep(WechatSandboxPusher.DUPLICATE_AFTER.toMillis() + 500);
        assertThat(deliveries(app[0])).isEmpty();
        assertThat(pushStats().get("dropped").asLong() - before.get("dropped").asLong()).isEqualTo(1);
    }

    @Test
    void aDuplicatedPushArrivesTwiceAsTheSameEventFreshlySealed() {
        JsonNode before = pushStats();
        http.post("/sandbox/admin/wechat/push-faults", "{\"duplicate_rate\":1}");
        String[] app = committedApp("2.0.2");
        submit(app);
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(app[0]).size() == 2);
        List<JsonNode> twice = deliveries(app[0]);
        String first = open(twice.get(0));
        assertThat(first).contains("weapp_audit_success");
        assertThat(open(twice.get(1))).as("the same event, CreateTime and all").isEqualTo(first);
        assertThat(twice.get(1).get("query").asText()).as("a fresh nonce and signature")
            .isNotEqualTo(twice.get(0).get("query").asText());
        assertThat(pushStats().get("duplicated").asLong() - before.get("duplicated").asLong()).isEqualTo(1);
    }

    @Test
    void anEarlyPushArrivesBeforeSubmitAuditAnswers() {
        JsonNode before = pushStats();
        http.post("/sandbox/admin/wechat/push-faults", "{\"early_rate\":1}");
        String[] app = committedApp("2.0.3");
        long auditId = submit(app);
        // No waiting: the push was delivered before the answer came back.
        List<JsonNode> pushed = deliveries(app[0]);
        assertThat(pushed).hasSize(1);
        assertThat(open(pushed.get(0))).contains("weapp_audit_success");
        assertThat(auditStatus(app, auditId)).isZero();
        assertThat(pushStats().get("early").asLong() - before.get("early").asLong()).isEqualTo(1);

        // A rejection goes out early as well, with its reason.
        String[] rejected = committedApp("2.0.4");
        http.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"appid\":\"" + rejected[0]
            + "\",\"reason\":\"early reject\"}");
        try {
            submit(rejected);
            assertThat(deliveries(rejected[0])).hasSize(1);
            assertThat(open(deliveries(rejected[0]).get(0))).contains("weapp_audit_fail").contains("early reject");
        } finally {
            http.delete("/sandbox/admin/wechat/audit-rules");
        }
    }

    @Test
    void aReorderedPushIsOvertakenByALaterOne() {
        JsonNode before = pushStats();
        http.post("/sandbox/admin/wechat/push-faults", "{\"reorder_rate\":1}");
        String[] earlier = committedApp("2.0.5");
        long earlierAudit = submit(earlier);
        await().atMost(Duration.ofSeconds(10)).until(() -> auditStatus(earlier, earlierAudit) == 0);
        http.post("/sandbox/admin/wechat/push-faults", "{\"reorder_rate\":0}");
        String[] later = committedApp("2.0.6");
        long laterAudit = submit(later);
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries(earlier[0], later[0]).size() == 2);
        assertThat(auditStatus(later, laterAudit)).isZero();
        List<JsonNode> inOrder = deliveries(earlier[0], later[0]);
        assertThat(inOrder.get(0).get("path").asText()).as("the later audit's push came first").endsWith(later[0]);
        assertThat(inOrder.get(1).get("path").asText()).endsWith(earlier[0]);
        assertThat(pushStats().get("reordered").asLong() - before.get("reordered").asLong()).isEqualTo(1);
    }

    @Test
    void halfTheShareSpoilsEverySecondPush() throws Exception {
        http.post("/sandbox/admin/wechat/push-faults", "{\"drop_rate\":0.5}");
        List<String[]> apps = new ArrayList<>();
        List<Long> audits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String[] app = committedApp("2.1." + i);
            apps.add(app);
            audits.add(submit(app));
            int n = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> auditStatus(app, audits.get(n)) == 0);
        }
        Thread.sleep(500);
        // The first push counts half, the second reaches a whole share and is dropped, and so on.
        assertThat(deliveries(apps.get(0)[0])).hasSize(1);
        assertThat(deliveries(apps.get(1)[0])).isEmpty();
        assertThat(deliveries(apps.get(2)[0])).hasSize(1);
        assertThat(deliveries(apps.get(3)[0])).isEmpty();
    }

    // --- helpers

    private String[] committedApp(String version) {
        String[] app = http.newAuthorizer(componentToken);
        long templateId = http.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + componentToken)
            .get("template_list").get(0).get("template_id").asLong();
        assertThat(http.post("/sandbox/wechat/wxa/commit?access_token=" + app[1], "{\"template_id\":" + templateId
            + ",\"ext_json\":\"{}\",\"user_version\":\"" + version + "\",\"user_desc\":\"push faults\"}")
            .get("errcode").asInt()).isZero();
        return app;
    }

    private long submit(String[] app) {
        JsonNode answer = http.post("/sandbox/wechat/wxa/submit_audit?access_token=" + app[1], "{}");
        assertThat(answer.get("errcode").asInt()).as(answer.toString()).isZero();
        return answer.get("auditid").asLong();
    }

    private int auditStatus(String[] app, long auditId) {
        return http.post("/sandbox/wechat/wxa/get_auditstatus?access_token=" + app[1], "{\"auditid\":" + auditId + "}")
            .get("status").asInt();
    }

    private JsonNode pushStats() {
        return http.get("/sandbox/admin/wechat/stats").get("pushes");
    }

    /** What the receiver got for these mini programs, in the order it came. */
    private List<JsonNode> deliveries(String... appIds) {
        List<JsonNode> all = new ArrayList<>();
        http.get("/sandbox/admin/receiver/" + receiver).get("deliveries").forEach(all::add);
        return all.stream().filter(d -> List.of(appIds).stream().anyMatch(a -> d.get("path").asText().endsWith("/" + a)))
            .toList();
    }

    private String open(JsonNode delivery) {
        return crypto.decryptFor(WechatMessageCrypto.encryptOf(delivery.get("body").asText()));
    }
}
