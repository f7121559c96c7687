package io.miniflow.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.openapi.SigningClient;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Issue #13's end-to-end check, over real HTTP as a SaaS platform and a merchant would: tenants opened with a
 * signed client, each merchant's consent given through the sandbox on the link Miniflow handed out, every tenant
 * ACTIVE with the version released, each webhook received once and signed with the team key, and no WeChat call
 * made twice. Run on H2 ({@link TenantProvisioningEndToEndTest}) and on MariaDB ({@link TenantProvisioningOnMySqlTest}).
 */
abstract class TenantProvisioningEndToEnd {

    static final Duration WAIT = Duration.ofSeconds(120);
    private static final Pattern AUTHORIZATION = Pattern.compile(
        "MF-HMAC-SHA256 appid=\"([^\"]+)\",timestamp=\"(\\d+)\",nonce=\"([^\"]+)\",signature=\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    private final int tenants;
    final ObjectMapper json = new ObjectMapper();
    WechatSandboxHttp sandbox;
    SigningClient saas;
    String receiver;
    String appCode;
    long templateId;

    TenantProvisioningEndToEnd(int tenants) {
        this.tenants = tenants;
    }

    @BeforeEach
    void setUp() throws Exception {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":500,\"privacy_scan_delay_millis\":0}");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":100000,\"used\":0}");
        templateId = await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
            "SELECT MIN(template_id) FROM sandbox_wechat_template").query(Long.class).single(), id -> id != null);
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        appCode = "shop" + suffix;
        receiver = "tenants" + suffix;
        admin(post("/api/apps").contentType(MediaType.APPLICATION_JSON).content("{\"workspace\":\"Demo\",\"appCode\":\""
            + appCode + "\",\"name\":\"Shop\",\"engineVersion\":\"1.0.0\"}")).andExpect(status().isCreated());
        admin(post("/api/apps/{a}/environments", appCode).contentType(MediaType.APPLICATION_JSON).content(
            "{\"envCode\":\"prod\",\"name\":\"Production\",\"domain\":\"https://shop.example.com\",\"apiDomain\":"
                + "\"https://api.shop.example.com\",\"deployConfig\":\"default\",\"requiresApproval\":false}"))
            .andExpect(status().isCreated());
        admin(post("/api/apps/{a}/environments/prod/publishes", appCode).contentType(MediaType.APPLICATION_JSON)
            .content("{\"version\":\"2.3.0\",\"note\":\"for tenants\"}")).andExpect(status().isAccepted());
        await().atMost(WAIT).until(() -> jdbc.sql("SELECT e.online_version FROM mf_app_environment e"
            + " JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ?").param(appCode).query(String.class).list()
            .contains("2.3.0"));
        JsonNode key = json.readTree(admin(post("/api/workspaces/Demo/openapi-keys")).andExpect(status().isCreated())
            .andReturn().getResponse().getContentAsString());
        saas = new SigningClient("http://localhost:" + port, key.get("appId").asText(), key.get("appSecret").asText());
    }

    @AfterEach
    void revokeKey() throws Exception {
        if (saas != null) {
            admin(delete("/api/workspaces/Demo/openapi-keys/{k}", saas.appId));
        }
    }

    @Test
    void tenantsOpenedThroughTheOpenApiGoLiveWithEveryWebhookOnce() throws Exception {
        sandbox.delete("/sandbox/admin/wechat/stats");
        String notifyUrl = "http://localhost:" + port + "/sandbox/receiver/" + receiver;
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < tenants; i++) {
            String code = "t" + i + "-" + receiver.toLowerCase();
            codes.add(code);
            String body = json.writeValueAsString(Map.of("tenantCode", code, "name", "Tenant " + i, "appCode", appCode,
                "envCode", "prod", "tenantAppCode", code + "-shop", "extJson", Map.of("shopName", "Shop " + i),
                "templateId", templateId, "notifyUrl", notifyUrl));
            HttpResponse<String> opened = politely("POST", "/openapi/v1/tenants", body);
            assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
            assertThat(json.readTree(opened.body()).get("status").asText()).isEqualTo("OPENING");
            // The same request again: the same tenant, not a second one.
            HttpResponse<String> again = politely("POST", "/openapi/v1/tenants", body);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json.readTree(again.body()).get("processInstanceId").asText())
                .isEqualTo(json.readTree(opened.body()).get("processInstanceId").asText());
        }

        Map<String, String> appIds = new HashMap<>();
        for (String code : codes) {
            String link = await().atMost(WAIT).until(() -> app(code).path("authorizationUrl").asText(null),
                url -> url != null);
            assertThat(link).startsWith("http://localhost:" + port + "/wechat/authorize/");
            JsonNode consent = sandbox.post("/sandbox/admin/wechat/consent", json.writeValueAsString(
                Map.of("url", link, "nickName", "Merchant " + code)));
            assertThat(consent.path("callbackStatus").asInt()).as(consent.toString()).isEqualTo(200);
            appIds.put(code, consent.get("appId").asText());
        }

        await().atMost(WAIT).pollInterval(Duration.ofSeconds(3)).untilAsserted(() -> {
            for (String code : codes) {
                JsonNode t = tenant(code);
                assertThat(t.get("status").asText()).as(() -> t + " " + where()).isEqualTo("ACTIVE");
            }
        });
        for (String code : codes) {
            JsonNode app = app(code);
            assertThat(app.get("stage").asText()).isEqualTo("LIVE");
            assertThat(app.get("appId").asText()).isEqualTo(appIds.get(code));
            assertThat(app.get("releasedVersion").asText()).isEqualTo("2.3.0");
            assertThat(app.has("authorizationUrl")).isFalse();
        }
        // The platform serves the released version to each tenant's mini program.
        assertThat(new HashSet<>(appIds.values())).hasSize(tenants);

        JsonNode received = sandbox.get("/sandbox/admin/receiver/" + receiver);
        Map<String, Integer> perDelivery = new HashMap<>();
        Map<String, Set<String>> eventsPerTenant = new HashMap<>();
        for (JsonNode delivery : received.get("deliveries")) {
            JsonNode headers = delivery.get("headers");
            String deliveryId = header(headers, "X-Miniflow-Delivery");
            perDelivery.merge(deliveryId, 1, Integer::sum);
            JsonNode body = json.readTree(delivery.get("body").asText());
            eventsPerTenant.computeIfAbsent(body.get("tenantCode").asText(), c -> new HashSet<>())
                .add(header(headers, "X-Miniflow-Event"));
            assertThat(body.get("event").asText()).isEqualTo(header(headers, "X-Miniflow-Event"));
            assertSignedWithTheTeamKey(header(headers, "Authorization"), delivery.get("path").asText(),
                delivery.get("body").asText());
        }
        assertThat(perDelivery).hasSize(2 * tenants).allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1));
        assertThat(eventsPerTenant).hasSize(tenants).allSatisfy((code, events) ->
            assertThat(events).containsExactlyInAnyOrder("tenant.data_migration", "tenant.live"));

        JsonNode perApi = sandbox.get("/sandbox/admin/wechat/stats").get("per_api");
        for (String api : List.of("wxa/commit", "wxa/submit_audit", "wxa/release")) {
            assertThat(perApi.get(api).get("calls").asLong()).as("calls of %s", api).isEqualTo(tenants);
            assertThat(perApi.get(api).get("repeats").asLong()).as("repeats of %s", api).isZero();
        }
    }

    @Autowired
    org.camunda.bpm.engine.RuntimeService runtime;

    /** Where the instances stand, for a failure's message. */
    String where() {
        StringBuilder out = new StringBuilder();
        runtime.createIncidentQuery().list().forEach(i -> out.append("incident ").append(i.getActivityId())
            .append(": ").append(i.getIncidentMessage()).append("\n"));
        runtime.createProcessInstanceQuery().processDefinitionKey("wechat-mp-release").active().listPage(0, 3)
            .forEach(p -> out.append("release ").append(p.getId()).append(" at ")
                .append(runtime.getActiveActivityIds(p.getId())).append("\n"));
        return out.toString();
    }

    private void assertSignedWithTheTeamKey(String authorization, String path, String body) {
        Matcher m = AUTHORIZATION.matcher(authorization);
        assertThat(m.matches()).as(authorization).isTrue();
        assertThat(m.group(1)).isEqualTo(saas.appId);
        String stringToSign = "POST\n" + path + "\n" + m.group(2) + "\n" + m.group(3) + "\n" + body + "\n";
        assertThat(SigningClient.sign(saas.secret, stringToSign)).isEqualTo(m.group(4));
    }

    private static String header(JsonNode headers, String name) {
        var fields = headers.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue().isArray() ? field.getValue().get(0).asText() : field.getValue().asText();
            }
        }
        throw new AssertionError("no header " + name + " in " + headers);
    }

    /** As a well-behaved SaaS client: a 429 is waited out for the Retry-After it names, then sent again. */
    HttpResponse<String> politely(String method, String path, String body) throws InterruptedException {
        while (true) {
            HttpResponse<String> response = saas.send(method, path, body);
            if (response.statusCode() != 429) {
                return response;
            }
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            Thread.sleep(Duration.ofSeconds(Math.max(1, seconds)).toMillis());
        }
    }

    JsonNode tenant(String code) throws Exception {
        HttpResponse<String> response = politely("GET", "/openapi/v1/tenants/" + code, "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    JsonNode app(String code) throws Exception {
        return tenant(code).get("apps").get(0);
    }

    org.springframework.test.web.servlet.ResultActions admin(
            org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(httpBasic("admin", "admin")));
    }
}
