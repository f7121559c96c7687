package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.MessageSource;

/** Miniflow's WechatClient against the emulator over HTTP: answers, errors and their translation, no retries. */
@MiniflowIntegrationTest
class WechatClientTest {

    @LocalServerPort
    int port;
    @Autowired
    WechatClient client;
    @Autowired
    MessageSource messages;

    WechatSandboxHttp sandbox;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":200,\"privacy_scan_delay_millis\":0}");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
    }

    @AfterEach
    void tearDown() {
        sandbox.delete("/sandbox/admin/wechat/faults");
    }

    private String newApp() {
        return sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0).get("appid")
            .asText();
    }

    @Test
    void shouldManageTheTemplateLibrary() {
        long draft = sandbox.post("/sandbox/admin/wechat/drafts", "{\"user_version\":\"9.9.9\",\"user_desc\":\"lib\"}")
            .get("draft_id").asLong();
        assertThat(client.drafts()).anyMatch(d -> d.draftId() == draft && d.userVersion().equals("9.9.9"));
        client.addToTemplate(draft, 0);
        WechatClient.Template added = client.templates(0).stream().filter(t -> t.userVersion().equals("9.9.9"))
            .reduce((a, b) -> b).orElseThrow();
        client.deleteTemplate(added.templateId());
        assertThat(client.templates(0)).noneMatch(t -> t.templateId() == added.templateId());
        assertThatThrownBy(() -> client.deleteTemplate(added.templateId()))
            .isInstanceOfSatisfying(WechatApiException.class, e -> assertThat(e.errcode()).isEqualTo(85064));
    }

    @Test
    void shouldAuthorizeThroughTheSandboxPageAndRedeemTheCode() throws Exception {
        String link = client.authorizationUrl(client.createPreAuthCode().code(), "https://merchant.example/bind?biz=42",
            2);
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String page = browser.send(HttpRequest.newBuilder(URI.create(link)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        Matcher code = Pattern.compile("name=\"pre_auth_code\" value=\"([^\"]+)\"").matcher(page);
        assertThat(code.find()).isTrue();
        String form = "pre_auth_code=" + java.net.URLEncoder.encode(code.group(1), "UTF-8")
            + "&redirect_uri=" + java.net.URLEncoder.encode("https://merchant.example/bind?biz=42", "UTF-8")
            + "&appid=&nick_name=Page+Shop";
        HttpResponse<String> confirmed = browser.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/sandbox/wechat/authorize"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(confirmed.statusCode()).isEqualTo(302);
        String location = confirmed.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("https://merchant.example/bind?biz=42&auth_code=");
        String authCode = java.net.URLDecoder.decode(location.replaceAll(".*auth_code=([^&]+).*", "$1"), "UTF-8");

        WechatClient.Authorization auth = client.queryAuth(authCode);
        assertThat(auth.funcScopes()).contains(18);
        assertThat(client.authorizerInfo(auth.appId()).nickName()).isEqualTo("Page Shop");
        assertThat(client.authorizerInfo(auth.appId()).miniProgram()).isTrue();

        // single use: the same pre-auth code cannot authorize twice
        HttpResponse<String> again = browser.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/sandbox/wechat/authorize"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(400);
    }

    @Test
    void shouldReleaseGrayAndRollBack() {
        String appId = newApp();
        long template = client.templates(null).get(0).templateId();
        releaseVersion(appId, template, "1.0.0");
        client.commit(appId, template, "{}", "1.1.0", "second");
        long audit = client.submitAudit(appId, "second", null, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.auditStatus(appId, audit).status() == 0);
        client.grayRelease(appId, 10, false, false);
        assertThatThrownBy(() -> client.grayRelease(appId, 5, false, false))
            .isInstanceOfSatisfying(WechatApiException.class, e -> {
                assertThat(e.errcode()).isEqualTo(85082);
                assertThat(e.retryable()).isFalse();
            });
        assertThat(client.grayReleasePlan(appId).percentage()).isEqualTo(10);
        assertThatThrownBy(() -> client.revertCodeRelease(appId, null))
            .isInstanceOfSatisfying(WechatApiException.class, e -> assertThat(e.errcode()).isEqualTo(87011));
        client.release(appId);
        assertThat(client.versionInfo(appId).releaseVersion()).isEqualTo("1.1.0");
        assertThat(client.historyVersions(appId)).extracting(WechatClient.HistoryVersion::userVersion)
            .containsExactly("1.1.0", "1.0.0");
        client.revertCodeRelease(appId, null);
        assertThat(client.versionInfo(appId).releaseVersion()).isEqualTo("1.0.0");
        assertThatThrownBy(() -> client.revertCodeRelease(appId, null))
            .isInstanceOfSatisfying(WechatApiException.class, e -> assertThat(e.errcode()).isEqualTo(87012));
    }

    private void releaseVersion(String appId, long template, String version) {
        client.commit(appId, template, "{}", version, "v" + version);
        long audit = client.submitAudit(appId, "v" + version, null, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> client.latestAudit(appId).status() == 0);
        assertThat(client.latestAudit(appId).auditId()).isEqualTo(audit);
        client.release(appId);
    }

    @Test
    void shouldTranslateErrorsOnceAndKeepUnknownCodesRaw() {
        String appId = newApp();
        assertThat(client.latestAudit(appId)).as("85058 means no audit yet").isNull();
        WechatApiException missing = catchWechat(() -> client.commit(appId, 987_654, "{}", "1", "x"));
        assertThat(missing.errcode()).isEqualTo(85014);
        assertThat(missing.retryable()).isFalse();
        assertThat(WechatErrors.message(messages, missing, Locale.ENGLISH)).isEqualTo("The template id is invalid.");
        assertThat(WechatErrors.message(messages, missing, Locale.SIMPLIFIED_CHINESE)).isEqualTo("无效的模版编号"
            .replace("模版", "模板"));

        WechatApiException unknown = WechatErrors.of("wxa/x", 12345, "something new");
        assertThat(unknown.retryable()).isFalse();
        assertThat(WechatErrors.message(messages, unknown, Locale.ENGLISH)).isEqualTo("WeChat error 12345: something new");
        assertThat(WechatErrors.message(messages, unknown, Locale.SIMPLIFIED_CHINESE)).isEqualTo("微信错误 12345：something new");
    }

    @Test
    void shouldRenewARejectedTokenAndTryABusyPlatformAgainAtOnce() {
        String appId = newApp();
        client.categories(appId);
        sandbox.post("/sandbox/admin/wechat/tokens/expire", "{\"appid\":\"" + appId + "\"}");
        long categoryCalls = calls("wxa/get_category");
        long tokenCalls = calls("cgi-bin/component/api_authorizer_token");
        assertThat(client.categories(appId)).as("answered with a renewed token").isNotEmpty();
        assertThat(calls("wxa/get_category")).as("refused (42001), then answered").isEqualTo(categoryCalls + 2);
        assertThat(calls("cgi-bin/component/api_authorizer_token")).isEqualTo(tokenCalls + 1);

        // Busy, a 5xx, a frequency limit: four calls in all (miniflow.platforms.quick-retry.attempts), then the engine.
        for (String kind : List.of("SYSTEM_BUSY", "HTTP_5XX", "FREQUENCY")) {
            sandbox.post("/sandbox/admin/wechat/faults", "{\"api\":\"wxa/get_page\",\"rate\":1.0,\"kind\":\"" + kind + "\"}");
            long before = calls("wxa/get_page");
            WechatApiException failed = catchWechat(() -> client.pages(appId));
            assertThat(failed.retryable()).isTrue();
            assertThat(calls("wxa/get_page")).as("calls of a platform failing with %s", kind).isEqualTo(before + 4);
        }

        // A refusal for this mini program only (85013 never passes): one call, no quick retry, other mini programs served.
        sandbox.delete("/sandbox/admin/wechat/faults");
        sandbox.post("/sandbox/admin/wechat/faults", "{\"api\":\"*\",\"rate\":1.0,\"kind\":\"ERRCODE\","
            + "\"errcode\":85013,\"appid\":\"" + appId + "\"}");
        long before = calls("wxa/get_page");
        WechatApiException refused = catchWechat(() -> client.pages(appId));
        assertThat(refused.errcode()).isEqualTo(85013);
        assertThat(refused.retryable()).isFalse();
        assertThat(calls("wxa/get_page")).isEqualTo(before + 1);
        String other = newApp();
        assertThat(client.categories(other)).isNotEmpty();
    }

    private long calls(String api) {
        return sandbox.get("/sandbox/admin/wechat/stats").at("/per_api/" + api.replace("/", "~1") + "/calls").asLong(0);
    }

    @Test
    void shouldRenewARejectedComponentTokenOnce() {
        client.templates(null);
        sandbox.post("/sandbox/admin/wechat/tokens/expire", "{}");
        long tokenCalls = calls("cgi-bin/component/api_component_token");
        assertThat(client.templates(null)).as("answered with a renewed component token").isNotNull();
        assertThat(calls("cgi-bin/component/api_component_token")).isEqualTo(tokenCalls + 1);
    }

    @Test
    void shouldFetchAQrCodeImage() throws Exception {
        String appId = newApp();
        client.commit(appId, client.templates(null).get(0).templateId(), "{}", "1", "qr");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(client.qrCode(appId, "pages/index/index")));
        assertThat(image).isNotNull();
        assertThat(client.pages(appId)).contains("pages/index/index");
        assertThat(client.queryQuota(appId).limit()).isPositive();
        assertThat(client.visitStatus(appId)).isEqualTo(1);
    }

    private static WechatApiException catchWechat(Runnable call) {
        try {
            call.run();
        } catch (WechatApiException e) {
            return e;
        }
        throw new AssertionError("expected a WechatApiException");
    }

    @SuppressWarnings("unused")
    private static List<String> none() {
        return List.of();
    }
}
