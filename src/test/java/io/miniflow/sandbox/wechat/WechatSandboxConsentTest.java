package io.miniflow.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * POST /sandbox/admin/wechat/consent: the merchant's scan and confirm for scripts, through a SaaS platform's landing
 * link that redirects to the authorization page, and the browser's landing on redirect_uri.
 */
@MiniflowIntegrationTest
class WechatSandboxConsentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    WechatSandboxHttp http;
    String componentToken;
    String componentAppId;
    HttpServer site;
    String siteBase;
    /** The raw query of every call of the test site's /callback. */
    final List<String> callbacks = new CopyOnWriteArrayList<>();
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws IOException {
        http = new WechatSandboxHttp(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> !http.get("/sandbox/admin/wechat/platform")
            .path("component_verify_ticket").isNull());
        componentToken = http.componentToken();
        componentAppId = http.get("/sandbox/admin/wechat/platform").get("component_appid").asText();

        // A SaaS platform's side: a landing link that makes a fresh pre_auth_code and redirects (twice) to the page.
        site = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        siteBase = "http://127.0.0.1:" + site.getAddress().getPort();
        site.createContext("/landing", ex -> redirect(ex, 302, "/hop?code=" + encode(newPreAuthCode())));
        site.createContext("/hop", ex -> redirect(ex, 303, pageUrl(componentAppId,
            ex.getRequestURI().getQuery().substring("code=".length()), siteBase + "/callback?shop=7")));
        site.createContext("/callback", ex -> {
            callbacks.add(ex.getRequestURI().getRawQuery());
            answer(ex, 204);
        });
        site.createContext("/nowhere", ex -> answer(ex, 200));
        site.createContext("/loop", ex -> redirect(ex, 307, "/loop"));
        site.start();
    }

    @AfterEach
    void tearDown() {
        site.stop(0);
    }

    @Test
    void consentThroughALandingLinkCreatesANewAuthorizedMiniProgramAndLandsOnRedirectUri() throws Exception {
        long pushesBefore = delivered();
        Answer answer = consent(Map.of("url", siteBase + "/landing", "nickName", "Consent Shop"));

        assertThat(answer.status).isEqualTo(200);
        String appId = answer.body.get("appId").asText();
        assertThat(appId).startsWith("wx").hasSize(18);
        assertThat(answer.body.get("redirectUri").asText()).isEqualTo(siteBase + "/callback?shop=7");
        assertThat(answer.body.get("callbackStatus").asInt()).isEqualTo(204);

        assertThat(callbacks).singleElement().satisfies(q -> assertThat(q).matches(
            "shop=7&auth_code=queryauthcode%40%40%40[A-Za-z0-9]{40}&expires_in=600"));
        String authCode = java.net.URLDecoder.decode(callbacks.get(0).replaceAll(".*auth_code=([^&]+).*", "$1"),
            StandardCharsets.UTF_8);
        assertThat(queryAuth(authCode).at("/authorization_info/authorizer_appid").asText()).isEqualTo(appId);
        JsonNode created = authorizer(appId);
        assertThat(created.get("nick_name").asText()).isEqualTo("Consent Shop");
        assertThat(created.get("status").asText()).isEqualTo("AUTHORIZED");
        // The authorized push went out as from the page (Miniflow in this application received it).
        await().atMost(Duration.ofSeconds(10)).until(() -> delivered() > pushesBefore);
    }

    @Test
    void consentWithAnAppIdReauthorizesThatMiniProgram() throws Exception {
        JsonNode existing = http.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0);
        String appId = existing.get("appid").asText();
        http.post("/sandbox/admin/wechat/authorizers/" + appId + "/revoke", null);
        assertThat(authorizer(appId).get("status").asText()).isEqualTo("REVOKED");
        String receiver = "consent-" + System.nanoTime();
        String redirectUri = "http://localhost:" + port + "/sandbox/receiver/" + receiver + "?from=consent";

        Answer answer = consent(Map.of("url", pageUrl(componentAppId, newPreAuthCode(), redirectUri), "appId", appId));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body.get("appId").asText()).isEqualTo(appId);
        assertThat(answer.body.get("redirectUri").asText()).isEqualTo(redirectUri);
        assertThat(answer.body.get("callbackStatus").asInt()).isEqualTo(200);
        JsonNode now = authorizer(appId);
        assertThat(now.get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(now.get("refresh_token").asText()).isNotEqualTo(existing.get("refresh_token").asText());
        JsonNode delivery = http.get("/sandbox/admin/receiver/" + receiver).get("deliveries").get(0);
        assertThat(delivery.get("method").asText()).isEqualTo("GET");
        assertThat(delivery.get("query").asText()).startsWith("from=consent&auth_code=").endsWith("&expires_in=600");
        String authCode = java.net.URLDecoder.decode(
            delivery.get("query").asText().replaceAll(".*auth_code=([^&]+).*", "$1"), StandardCharsets.UTF_8);
        assertThat(queryAuth(authCode).at("/authorization_info/authorizer_appid").asText()).isEqualTo(appId);
    }

    @Test
    void aUsedOrUnknownPreAuthCodeIsRefusedWith61010() throws Exception {
        String url = pageUrl(componentAppId, newPreAuthCode(), siteBase + "/callback");
        assertThat(consent(Map.of("url", url)).status).isEqualTo(200);

        Answer again = consent(Map.of("url", url));
        assertThat(again.status).isEqualTo(400);
        assertThat(again.body.get("errcode").asInt()).isEqualTo(61010);
        Answer unknown = consent(Map.of("url", pageUrl(componentAppId, "preauthcode@@@nonsense", siteBase + "/callback")));
        assertThat(unknown.status).isEqualTo(400);
        assertThat(unknown.body.get("errcode").asInt()).isEqualTo(61010);
        assertThat(callbacks).as("only the first consent reached redirect_uri").hasSize(1);
    }

    @Test
    void anUnreachableRedirectUriStillAuthorizesAndSaysSo() throws Exception {
        Answer answer = consent(Map.of("url", pageUrl(componentAppId, newPreAuthCode(), "http://127.0.0.1:1/cb")));

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body.path("callbackStatus").isNumber()).as("no status without an answer").isFalse();
        assertThat(answer.body.get("callbackError").asText()).isNotBlank();
        assertThat(authorizer(answer.body.get("appId").asText()).get("status").asText()).isEqualTo("AUTHORIZED");
    }

    @Test
    void aUrlThatNeverReachesTheAuthorizationPageIsRefused() throws Exception {
        assertRefused(Map.of("url", siteBase + "/nowhere"), "answered 200 without a redirect");
        assertRefused(Map.of("url", siteBase + "/loop"), "after 5 redirects");
        assertRefused(Map.of("url", "http://127.0.0.1:1/landing"), "no authorization page reached");
        assertRefused(Map.of("url", "ftp://example.com/landing"), "must be an http(s) URL");
        assertRefused(Map.of(), "url is required");

        String code = newPreAuthCode();
        assertRefused(Map.of("url", pageUrl("wxanotherplatform", code, siteBase + "/callback")),
            "Unknown third-party platform wxanotherplatform");
        assertRefused(Map.of("url", pageUrl(componentAppId, code, "javascript:alert(1)")), "redirect_uri");
        assertThat(callbacks).isEmpty();
        // Refused before the code was used: it still works.
        assertThat(consent(Map.of("url", pageUrl(componentAppId, code, siteBase + "/callback"))).status).isEqualTo(200);
    }

    private void assertRefused(Map<String, String> request, String message) throws Exception {
        Answer answer = consent(request);
        assertThat(answer.status).as(request.toString()).isEqualTo(400);
        assertThat(answer.body.get("errcode").asInt()).isEqualTo(400);
        assertThat(answer.body.get("errmsg").asText()).contains(message);
    }

    // ------------------------------------------------------------------ helpers

    record Answer(int status, JsonNode body) {
    }

    private Answer consent(Map<String, String> request) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/sandbox/admin/wechat/consent"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build(),
            HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private String newPreAuthCode() {
        return http.post("/sandbox/wechat/cgi-bin/component/api_create_preauthcode?component_access_token="
            + componentToken, "{\"component_appid\":\"" + componentAppId + "\"}").get("pre_auth_code").asText();
    }

    private JsonNode queryAuth(String authCode) throws Exception {
        return http.post("/sandbox/wechat/cgi-bin/component/api_query_auth?component_access_token=" + componentToken,
            JSON.writeValueAsString(Map.of("component_appid", componentAppId, "authorization_code", authCode)));
    }

    private JsonNode authorizer(String appId) {
        for (int offset = 0; ; offset += 1000) {
            JsonNode page = http.get("/sandbox/admin/wechat/authorizers?offset=" + offset + "&count=1000");
            for (JsonNode a : page.get("list")) {
                if (a.get("appid").asText().equals(appId)) {
                    return a;
                }
            }
            if (page.get("list").size() < 1000) {
                throw new AssertionError("no authorizer " + appId);
            }
        }
    }

    private long delivered() {
        return http.get("/sandbox/admin/wechat/stats").at("/pushes/delivered").asLong();
    }

    private String pageUrl(String component, String preAuthCode, String redirectUri) {
        return "http://localhost:" + port + "/sandbox/wechat/authorize?component_appid=" + encode(component)
            + "&pre_auth_code=" + encode(preAuthCode) + "&redirect_uri=" + encode(redirectUri) + "&auth_type=2";
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        answer(exchange, status);
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }
}
