package io.miniflow.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The emulator over plain HTTP: the documented answers and error codes of the calls a release uses. */
@MiniflowIntegrationTest
class WechatSandboxEmulatorTest {

    @LocalServerPort
    int port;

    WechatSandboxHttp http;
    String componentToken;

    @BeforeEach
    void setUp() {
        http = new WechatSandboxHttp(port);
        http.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":300,\"privacy_scan_delay_millis\":0}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !http.get("/sandbox/admin/wechat/platform")
            .path("component_verify_ticket").isNull());
        componentToken = http.componentToken();
    }

    @AfterEach
    void tearDown() {
        http.delete("/sandbox/admin/wechat/faults");
        http.delete("/sandbox/admin/wechat/audit-rules");
    }

    private long firstTemplate() {
        return http.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + componentToken)
            .get("template_list").get(0).get("template_id").asLong();
    }

    private JsonNode commit(String token, long templateId, String extJsonField, String version) {
        return http.post("/sandbox/wechat/wxa/commit?access_token=" + token, "{\"template_id\":" + templateId
            + ",\"ext_json\":" + extJsonField + ",\"user_version\":\"" + version + "\",\"user_desc\":\"d\"}");
    }

    @Test
    void shouldRunCommitAuditAndReleaseWithTheDocumentedAnswers() {
        String[] app = http.newAuthorizer(componentToken);
        String token = app[1];
        assertThat(commit(token, firstTemplate(), "\"{\\\"extAppid\\\":\\\"" + app[0] + "\\\"}\"", "1.0.1")
            .get("errcode").asInt()).isZero();
        assertThat(http.post("/sandbox/wechat/wxa/getversioninfo?access_token=" + token, "{}")
            .at("/exp_info/exp_version").asText()).isEqualTo("1.0.1");
        assertThat(http.get("/sandbox/wechat/wxa/get_latest_auditstatus?access_token=" + token).get("errcode").asInt())
            .isEqualTo(85058);

        long auditId = http.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}").get("auditid").asLong();
        assertThat(http.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}").get("errcode").asInt())
            .isEqualTo(85009);
        await().atMost(Duration.ofSeconds(10)).until(() -> http.post("/sandbox/wechat/wxa/get_auditstatus?access_token="
            + token, "{\"auditid\":" + auditId + "}").get("status").asInt() == 0);

        assertThat(http.post("/sandbox/wechat/wxa/release?access_token=" + token, null).get("errcode").asInt())
            .isEqualTo(44002);
        assertThat(http.post("/sandbox/wechat/wxa/release?access_token=" + token, "{}").get("errcode").asInt()).isZero();
        assertThat(http.post("/sandbox/wechat/wxa/release?access_token=" + token, "{}").get("errcode").asInt())
            .isEqualTo(85052);
        assertThat(http.post("/sandbox/wechat/wxa/getversioninfo?access_token=" + token, "{}")
            .at("/release_info/release_version").asText()).isEqualTo("1.0.1");

        JsonNode stats = http.get("/sandbox/admin/wechat/stats").at("/per_appid/" + app[0]);
        assertThat(stats.get("repeats").asLong()).as("the second submit and the second release repeated successful ones")
            .isEqualTo(2);
        assertThat(stats.get("calls").asLong()).isGreaterThanOrEqualTo(9);
    }

    @Test
    void shouldValidateExtJsonAndTemplate() {
        String token = http.newAuthorizer(componentToken)[1];
        long template = firstTemplate();
        assertThat(commit(token, template, "{\"a\":1}", "1").get("errcode").asInt()).isEqualTo(47001);
        assertThat(commit(token, template, "\"{not json\"", "1").get("errcode").asInt()).isEqualTo(85048);
        assertThat(commit(token, 999_999, "\"{}\"", "1").get("errcode").asInt()).isEqualTo(85014);
    }

    @Test
    void shouldRefuseSubmitBeforeThePrivacyScanFinishes() {
        http.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":60000}");
        String token = http.newAuthorizer(componentToken)[1];
        commit(token, firstTemplate(), "\"{}\"", "2.0.0");
        assertThat(http.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}").get("errcode").asInt())
            .isEqualTo(61039);
    }

    @Test
    void shouldFailAuditByRuleAndPushReasonAndScreenshots() {
        http.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"desc_contains\":\"forbidden\","
            + "\"reason\":\"contains forbidden words\"}");
        String token = http.newAuthorizer(componentToken)[1];
        http.post("/sandbox/wechat/wxa/commit?access_token=" + token, "{\"template_id\":" + firstTemplate()
            + ",\"ext_json\":\"{}\",\"user_version\":\"3\",\"user_desc\":\"a forbidden feature\"}");
        http.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}");
        await().atMost(Duration.ofSeconds(10)).until(() -> http.get(
            "/sandbox/wechat/wxa/get_latest_auditstatus?access_token=" + token).get("status").asInt() == 1);
        JsonNode latest = http.get("/sandbox/wechat/wxa/get_latest_auditstatus?access_token=" + token);
        assertThat(latest.get("reason").asText()).isEqualTo("contains forbidden words");
        assertThat(latest.get("ScreenShot").asText()).contains("|");
    }

    @Test
    void shouldLimitUndoAndRisingGrayPercentages() {
        http.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"desc_contains\":\"hold-me\"}");
        String token = http.newAuthorizer(componentToken)[1];
        http.post("/sandbox/wechat/wxa/commit?access_token=" + token, "{\"template_id\":" + firstTemplate()
            + ",\"ext_json\":\"{}\",\"user_version\":\"4\",\"user_desc\":\"hold-me\"}");
        int lastCode = 0;
        for (int i = 0; i < 6; i++) {
            http.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}");
            lastCode = http.get("/sandbox/wechat/wxa/undocodeaudit?access_token=" + token).get("errcode").asInt();
        }
        assertThat(lastCode).as("the sixth undo of the day").isEqualTo(87013);
    }

    @Test
    void shouldAnswer42001ForAnExpiredTokenAnd40001ForAnUnknownOne() {
        String[] app = http.newAuthorizer(componentToken);
        http.post("/sandbox/admin/wechat/tokens/expire", "{\"appid\":\"" + app[0] + "\"}");
        assertThat(http.get("/sandbox/wechat/wxa/get_category?access_token=" + app[1]).get("errcode").asInt())
            .isEqualTo(42001);
        assertThat(http.get("/sandbox/wechat/wxa/get_category?access_token=nonsense").get("errcode").asInt())
            .isEqualTo(40001);
    }

    @Test
    void shouldInjectSystemBusy() {
        String token = http.newAuthorizer(componentToken)[1];
        http.post("/sandbox/admin/wechat/faults", "{\"api\":\"wxa/get_category\",\"rate\":1.0,\"kind\":\"SYSTEM_BUSY\"}");
        assertThat(http.get("/sandbox/wechat/wxa/get_category?access_token=" + token).get("errcode").asInt())
            .isEqualTo(-1);
    }

    @Test
    void shouldRefuseCallsBeyondItsFrequencyLimitWith45011() {
        String token = http.newAuthorizer(componentToken)[1];
        http.delete("/sandbox/admin/wechat/stats");
        http.post("/sandbox/admin/wechat/settings", "{\"rate_limit_per_second\":2}");
        try {
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                codes.add(http.get("/sandbox/wechat/wxa/get_category?access_token=" + token).get("errcode").asInt());
            }
            // Ten calls take far less than two seconds, so at most four fit under 2 per second.
            assertThat(codes).containsOnly(0, 45011);
            assertThat(codes.stream().filter(c -> c == 45011).count()).isGreaterThanOrEqualTo(6);
            assertThat(http.get("/sandbox/admin/wechat/stats").get("rate_limited").asLong())
                .isEqualTo(codes.stream().filter(c -> c == 45011).count());
        } finally {
            http.post("/sandbox/admin/wechat/settings", "{\"rate_limit_per_second\":0}");
        }
        assertThat(http.get("/sandbox/wechat/wxa/get_category?access_token=" + token).get("errcode").asInt()).isZero();
    }

    @Test
    void shouldServeAJpegQrCode() throws Exception {
        String token = http.newAuthorizer(componentToken)[1];
        commit(token, firstTemplate(), "\"{}\"", "5");
        var response = http.getBytes("/sandbox/wechat/wxa/get_qrcode?access_token=" + token + "&path=pages%2Findex");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
        assertThat(image.getWidth()).isGreaterThan(100);
    }

    @Test
    void shouldRefuseModifyDomainUntilThePlatformRegisteredIt() {
        String token = http.newAuthorizer(componentToken)[1];
        String body = "{\"action\":\"add\",\"requestdomain\":[\"https://api.shop-sandbox.example\"]}";
        assertThat(http.post("/sandbox/wechat/wxa/modify_domain?access_token=" + token, body).get("errcode").asInt())
            .isEqualTo(85017);
        http.post("/sandbox/wechat/cgi-bin/component/modify_wxa_server_domain?access_token=" + componentToken,
            "{\"action\":\"add\",\"wxa_server_domain\":\"api.shop-sandbox.example\"}");
        assertThat(http.post("/sandbox/wechat/wxa/modify_domain?access_token=" + token, body).get("errcode").asInt())
            .isZero();
    }
}
