package io.miniflow.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;

import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.util.http.RequestExecutor;
import me.chanjar.weixin.open.api.WxOpenMaService;
import me.chanjar.weixin.open.api.WxOpenService;
import me.chanjar.weixin.open.api.impl.WxOpenInMemoryConfigStorage;
import me.chanjar.weixin.open.api.impl.WxOpenServiceImpl;
import me.chanjar.weixin.open.bean.WxOpenMaCodeTemplate;
import me.chanjar.weixin.open.bean.message.WxOpenMaSubmitAuditMessage;

import io.miniflow.wechat.crypto.WechatMessageCrypto;

import me.chanjar.weixin.open.bean.message.WxOpenXmlMessage;
import me.chanjar.weixin.open.bean.result.WxOpenAuthorizerInfoResult;
import me.chanjar.weixin.open.util.WxOpenCryptUtil;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Conformance: WxJava (weixin-java-open), a client written against WeChat's documentation by other people, drives the
 * emulator unchanged except for the host (STACK.md: component calls through an overridden
 * {@code WxOpenServiceImpl.execute}, mini-program calls through the per-appid config's api host URL).
 */
@MiniflowIntegrationTest
class WxJavaConformanceTest {

    @LocalServerPort
    int port;

    WechatSandboxHttp sandbox;
    WxOpenService wx;
    WxOpenInMemoryConfigStorage config;
    String base;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":300,\"privacy_scan_delay_millis\":0}");
        await().atMost(Duration.ofSeconds(10)).until(() -> !sandbox.get("/sandbox/admin/wechat/platform")
            .path("component_verify_ticket").isNull());
        JsonNode platform = sandbox.get("/sandbox/admin/wechat/platform");
        base = "http://localhost:" + port + "/sandbox/wechat";
        config = new WxOpenInMemoryConfigStorage();
        config.setComponentAppId(platform.get("component_appid").asText());
        config.setComponentAppSecret(platform.get("component_appsecret").asText());
        config.setComponentToken(platform.get("token").asText());
        config.setComponentAesKey(platform.get("encoding_aes_key").asText());
        config.setComponentVerifyTicket(platform.get("component_verify_ticket").asText());
        config.setMaxRetryTimes(0);
        String host = base;
        wx = new WxOpenServiceImpl() {
            @Override
            protected <T, E> T execute(RequestExecutor<T, E> executor, String uri, E data) throws WxErrorException {
                return super.execute(executor, uri.replace("https://api.weixin.qq.com", host), data);
            }
        };
        wx.setWxOpenConfigStorage(config);
    }

    @AfterEach
    void tearDown() {
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}");
    }

    /** A fresh authorized mini program, its refresh token handed to WxJava as a real deployment would store it. */
    private WxOpenMaService newMiniProgram() {
        JsonNode created = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0);
        String appId = created.get("appid").asText();
        config.setAuthorizerRefreshToken(appId, created.get("refresh_token").asText());
        WxOpenMaService ma = wx.getWxOpenComponentService().getWxMaServiceByAppid(appId);
        ma.getWxMaConfig().setApiHostUrl(base);
        ma.setMaxRetryTimes(0);
        return ma;
    }

    private long templateId() throws WxErrorException {
        List<WxOpenMaCodeTemplate> templates = wx.getWxOpenComponentService().getTemplateList();
        assertThat(templates).isNotEmpty();
        return templates.get(0).getTemplateId();
    }

    private static int errcode(WxErrorException e) {
        return e.getError().getErrorCode();
    }

    private long passAudit(WxOpenMaService ma, long template, String version) throws Exception {
        ma.codeCommit(template, version, "version " + version, Map.of("extAppid", ma.getWxMaConfig().getAppid()));
        long auditId = ma.submitAudit(new WxOpenMaSubmitAuditMessage()).getAuditId();
        await().atMost(Duration.ofSeconds(10)).until(() -> ma.getAuditStatus(auditId).getStatus() == 0);
        return auditId;
    }

    @Test
    void shouldCarryAReleaseFromComponentTokenToRelease() throws Exception {
        String componentToken = wx.getWxOpenComponentService().getComponentAccessToken(false);
        assertThat(componentToken).isNotBlank();
        long template = templateId();
        WxOpenMaService ma = newMiniProgram();

        assertThat(ma.codeCommit(template, "1.2.3", "first release", Map.of("extAppid", "x", "ext", Map.of("shop", 7)))
            .isSuccess()).isTrue();
        assertThat(ma.getVersionInfo().getExpInfo().getExpVersion()).isEqualTo("1.2.3");

        WxOpenMaSubmitAuditMessage submit = new WxOpenMaSubmitAuditMessage();
        submit.setVersionDesc("first release");
        long auditId = ma.submitAudit(submit).getAuditId();
        assertThat(auditId).isPositive();
        assertThat(ma.getAuditStatus(auditId).getStatus()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> ma.getAuditStatus(auditId).getStatus() == 0);
        assertThat(ma.getLatestAuditStatus().getAuditId()).isEqualTo(auditId);
        assertThat(ma.getLatestAuditStatus().getUserVersion()).isEqualTo("1.2.3");

        assertThat(ma.releaseAudited().isSuccess()).isTrue();
        assertThat(ma.getVersionInfo().getReleaseInfo().getReleaseVersion()).isEqualTo("1.2.3");
    }

    @Test
    void shouldAnswer85009WhileAnAuditRuns() throws Exception {
        WxOpenMaService ma = newMiniProgram();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"appid\":\""
            + ma.getWxMaConfig().getAppid() + "\"}");
        ma.codeCommit(templateId(), "2.0.0", "held", Map.of());
        ma.submitAudit(new WxOpenMaSubmitAuditMessage());
        assertThatThrownBy(() -> ma.submitAudit(new WxOpenMaSubmitAuditMessage()))
            .isInstanceOfSatisfying(WxErrorException.class, e -> assertThat(errcode(e)).isEqualTo(85009));
    }

    @Test
    void shouldAnswer61039BeforeThePrivacyScanEnds() throws Exception {
        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":60000}");
        WxOpenMaService ma = newMiniProgram();
        ma.codeCommit(templateId(), "3.0.0", "scan", Map.of());
        assertThatThrownBy(() -> ma.submitAudit(new WxOpenMaSubmitAuditMessage()))
            .isInstanceOfSatisfying(WxErrorException.class, e -> assertThat(errcode(e)).isEqualTo(61039));
    }

    @Test
    void shouldAnswer85082ForAFallingGrayPercentage() throws Exception {
        WxOpenMaService ma = newMiniProgram();
        long template = templateId();
        passAudit(ma, template, "4.0.0");
        ma.releaseAudited();
        passAudit(ma, template, "4.1.0");
        assertThat(ma.grayRelease(20).isSuccess()).isTrue();
        assertThat(ma.getGrayReleasePlan().getGrayReleasePlan().getGrayPercentage()).isEqualTo(20);
        assertThatThrownBy(() -> ma.grayRelease(10))
            .isInstanceOfSatisfying(WxErrorException.class, e -> assertThat(errcode(e)).isEqualTo(85082));
    }

    @Test
    void shouldAnswer87013AfterFiveUndosADay() throws Exception {
        WxOpenMaService ma = newMiniProgram();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"appid\":\""
            + ma.getWxMaConfig().getAppid() + "\"}");
        ma.codeCommit(templateId(), "5.0.0", "undo", Map.of());
        for (int i = 0; i < 5; i++) {
            ma.submitAudit(new WxOpenMaSubmitAuditMessage());
            assertThat(ma.undoCodeAudit().isSuccess()).isTrue();
        }
        ma.submitAudit(new WxOpenMaSubmitAuditMessage());
        assertThatThrownBy(ma::undoCodeAudit)
            .isInstanceOfSatisfying(WxErrorException.class, e -> assertThat(errcode(e)).isEqualTo(87013));
    }

    @Test
    void shouldAuthorizeAndDescribeAMiniProgramAsWxJavaReadsIt() throws Exception {
        String preAuthUrl = wx.getWxOpenComponentService().getPreAuthUrl("https://merchant.example/back");
        String preAuthCode = java.net.URLDecoder.decode(preAuthUrl.replaceAll(".*pre_auth_code=([^&]+).*", "$1"),
            java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpClient browser = java.net.http.HttpClient.newBuilder()
            .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        String form = "pre_auth_code=" + java.net.URLEncoder.encode(preAuthCode, java.nio.charset.StandardCharsets.UTF_8)
            + "&redirect_uri=" + java.net.URLEncoder.encode("https://merchant.example/back",
                java.nio.charset.StandardCharsets.UTF_8) + "&appid=&nick_name=WxJava+Shop";
        String location = browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
        String authCode = java.net.URLDecoder.decode(location.replaceAll(".*auth_code=([^&]+).*", "$1"),
            java.nio.charset.StandardCharsets.UTF_8);

        String appId = wx.getWxOpenComponentService().getQueryAuth(authCode).getAuthorizationInfo().getAuthorizerAppid();
        WxOpenAuthorizerInfoResult info = wx.getWxOpenComponentService().getAuthorizerInfo(appId);
        assertThat(info.getAuthorizerInfo().getNickName()).isEqualTo("WxJava Shop");
        assertThat(info.getAuthorizerInfo().getUserName()).startsWith("gh_");
        assertThat(info.getAuthorizerInfo().getMiniProgramInfo()).as("marks a mini program").isNotNull();
        assertThat(wx.getWxOpenComponentService().getAuthorizerList(0, 500).getTotalCount()).isPositive();
        // WxJava kept the refresh token from query_auth: mini-program calls work without more set-up
        WxOpenMaService ma = wx.getWxOpenComponentService().getWxMaServiceByAppid(appId);
        ma.getWxMaConfig().setApiHostUrl(base);
        ma.codeCommit(templateId(), "0.0.1", "after authorization", Map.of());
        assertThat(ma.getVersionInfo().getExpInfo().getExpVersion()).isEqualTo("0.0.1");
    }

    @Test
    void shouldExchangeEncryptedPushesWithWxJavasCrypto() {
        String componentAppId = config.getComponentAppId();
        WechatMessageCrypto ours = new WechatMessageCrypto(config.getComponentToken(), config.getComponentAesKey(),
            componentAppId);
        String ticketXml = "<xml><AppId><![CDATA[" + componentAppId + "]]></AppId><CreateTime>1700000000</CreateTime>"
            + "<InfoType><![CDATA[component_verify_ticket]]></InfoType>"
            + "<ComponentVerifyTicket><![CDATA[ticket@@@conformance]]></ComponentVerifyTicket></xml>";
        String encrypt = ours.encrypt(ticketXml);
        WxOpenXmlMessage opened = WxOpenXmlMessage.fromEncryptedXml(ours.envelope("AppId", componentAppId, encrypt),
            config, "1700000000", "42", ours.msgSignature("1700000000", "42", encrypt));
        assertThat(opened.getInfoType()).isEqualTo("component_verify_ticket");
        assertThat(opened.getComponentVerifyTicket()).isEqualTo("ticket@@@conformance");

        String sealedByWxJava = new WxOpenCryptUtil(config).encrypt("<xml><demo>from WxJava</demo></xml>");
        String theirEncrypt = WechatMessageCrypto.encryptOf(sealedByWxJava);
        String timestamp = sealedByWxJava.replaceAll("(?s).*<TimeStamp>(?:<!\\[CDATA\\[)?(\\d+).*", "$1");
        String nonce = sealedByWxJava.replaceAll("(?s).*<Nonce><!\\[CDATA\\[([^\\]]+)].*", "$1");
        String signature = sealedByWxJava.replaceAll("(?s).*<MsgSignature><!\\[CDATA\\[([0-9a-f]+)].*", "$1");
        assertThat(ours.verify(signature, timestamp, nonce, theirEncrypt)).isTrue();
        assertThat(ours.decryptFor(theirEncrypt)).isEqualTo("<xml><demo>from WxJava</demo></xml>");
    }
}
