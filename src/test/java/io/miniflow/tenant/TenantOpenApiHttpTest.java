package io.miniflow.tenant;

import static io.miniflow.tenant.TenantOpenApiFixture.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.openapi.SigningClient;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tenant endpoints of the OpenAPI over real HTTP, signed as a SaaS platform signs (issue 13): the signature's
 * refusals on each of them, one workspace's tenants hidden from another's key, idempotent opening, conflicts, a
 * tenant app that fails for want of an online version, errors that reach no controller, and the API document.
 */
@MiniflowIntegrationTest
class TenantOpenApiHttpTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    MockMvc mvc;
    @Autowired
    IdentityService identityService;
    @Autowired
    HistoryService historyService;
    @Autowired
    JdbcClient jdbc;
    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();
    TenantOpenApiFixture fx;
    String tenantCode;
    String tenantAppCode;

    @BeforeEach
    void freshWorkspace() throws Exception {
        fx = TenantOpenApiFixture.create(mvc, identityService, historyService, port);
        tenantCode = "acme-" + TenantOpenApiFixture.suffix();
        tenantAppCode = tenantCode + "-shop";
    }

    /** Each tenant endpoint with a body it would accept. */
    static Stream<Arguments> tenantEndpoints() {
        return Stream.of(
            Arguments.of("POST", TENANTS, "open"),
            Arguments.of("GET", TENANTS + "/{t}", ""),
            Arguments.of("POST", TENANTS + "/{t}/apps", "addApp"),
            Arguments.of("POST", TENANTS + "/{t}/close", ""),
            Arguments.of("POST", TENANTS + "/{t}/apps/{a}/authorization-link", ""));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("tenantEndpoints")
    void everyTenantEndpointRefusesAReplayAnOldTimestampAWrongSecretAndARevokedKey(String method, String template,
                                                                                    String bodyKind) throws Exception {
        String path = template.replace("{t}", tenantCode).replace("{a}", tenantAppCode);
        String body = switch (bodyKind) {
            case "open" -> fx.openRequest(tenantCode, tenantAppCode).toString();
            case "addApp" -> "{\"appCode\":\"" + fx.appCode + "\",\"envCode\":\"dev\",\"tenantAppCode\":\""
                + tenantAppCode + "-2\"}";
            default -> "";
        };
        long now = Instant.now().getEpochSecond();

        assertRefused(fx.client.send(method, path, body, now - 301, SigningClient.newNonce()), "TIMESTAMP_EXPIRED");
        SigningClient impostor = new SigningClient("http://localhost:" + port, fx.appId,
            Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        assertRefused(impostor.send(method, path, body, now, SigningClient.newNonce()), "SIGNATURE_MISMATCH");
        if (bodyKind.equals("open")) {
            assertThat(fx.send("GET", TENANTS + "/" + tenantCode, "").statusCode()).as("nothing opened").isEqualTo(404);
        }

        String nonce = SigningClient.newNonce();
        HttpResponse<String> first = fx.client.send(method, path, body, now, nonce);
        assertThat(first.statusCode()).as("reaches the endpoint: %s", first.body()).isNotEqualTo(401);
        assertRefused(fx.client.send(method, path, body, now, nonce), "NONCE_REUSED");
        assertRefused(fx.client.send(method, path, body, now + 1, nonce), "NONCE_REUSED");

        mvc.perform(delete("/api/workspaces/" + fx.ws.name() + "/openapi-keys/" + fx.appId)
                .with(httpBasic(fx.ws.admin(), fx.ws.admin())))
            .andExpect(status().isNoContent());
        assertRefused(fx.client.send(method, path, body), "APPID_UNKNOWN");
        assertThat(fx.provisioningInstances()).as("one instance at most, from the accepted request")
            .isLessThanOrEqualTo(1);
    }

    @Test
    void anotherWorkspacesTenantIsNotFound() throws Exception {
        assertThat(open().statusCode()).isEqualTo(202);
        TenantOpenApiFixture other = TenantOpenApiFixture.create(mvc, identityService, historyService, port);
        String addApp = "{\"appCode\":\"" + other.appCode + "\",\"envCode\":\"dev\",\"tenantAppCode\":\"other-app\"}";

        assertNotFound(other.send("GET", TENANTS + "/" + tenantCode, ""), "tenant.notFound");
        assertNotFound(other.send("POST", TENANTS + "/" + tenantCode + "/apps", addApp), "tenant.notFound");
        assertNotFound(other.send("POST", TENANTS + "/" + tenantCode + "/close", ""), "tenant.notFound");
        assertNotFound(other.send("POST", TENANTS + "/" + tenantCode + "/apps/" + tenantAppCode
            + "/authorization-link", ""), "tenant.notFound");

        JsonNode mine = fx.read(fx.send("GET", TENANTS + "/" + tenantCode, ""));
        assertThat(mine.get("status").asText()).as("not closed by the other key").isNotEqualTo("CLOSED");
        assertThat(mine.get("apps")).hasSize(1);
        assertThat(other.provisioningInstances()).isZero();
    }

    @Test
    void theSameRequestAgainIsAnsweredWithTheSameTenantAndStartsNothing() throws Exception {
        HttpResponse<String> first = open();
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode opened = fx.read(first);
        assertThat(opened.get("tenantCode").asText()).isEqualTo(tenantCode);
        assertThat(opened.get("tenantAppCode").asText()).isEqualTo(tenantAppCode);
        assertThat(opened.get("status").asText()).isEqualTo("OPENING");
        assertThat(opened.get("statusUrl").asText()).isEqualTo(TENANTS + "/" + tenantCode);
        String processInstanceId = opened.get("processInstanceId").asText();
        assertThat(processInstanceId).isNotBlank();

        // The same fields in another order and spacing are the same request.
        String reordered = "{ \"tenantAppCode\":\"" + tenantAppCode + "\", \"envCode\":\"dev\", \"appCode\":\""
            + fx.appCode + "\", \"name\":\"Acme Ltd\", \"tenantCode\":\"" + tenantCode + "\" }";
        HttpResponse<String> again = fx.send("POST", TENANTS, reordered);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(fx.read(again).get("processInstanceId").asText()).isEqualTo(processInstanceId);
        assertThat(fx.read(again).get("tenantCode").asText()).isEqualTo(tenantCode);

        assertThat(fx.provisioningInstances(tenantCode, tenantAppCode)).isEqualTo(1);
        assertThat(fx.provisioningInstances()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_tenant WHERE workspace = ?").param(fx.ws.name())
            .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aDifferentRequestForAnExistingTenantCodeIsAConflict() throws Exception {
        assertThat(open().statusCode()).isEqualTo(202);
        HttpResponse<String> different = fx.send("POST", TENANTS,
            fx.openRequest(tenantCode, tenantAppCode).put("name", "Acme Holdings").toString(),
            "Accept-Language", "zh-CN");
        assertThat(different.statusCode()).as(different.body()).isEqualTo(409);
        JsonNode problem = fx.read(different);
        assertThat(problem.get("code").asText()).isEqualTo("tenant.conflict.exists");
        assertThat(problem.get("message").asText()).containsPattern("\\p{IsHan}").contains(tenantCode);
        assertThat(fx.provisioningInstances()).isEqualTo(1);
    }

    @Test
    void aTenantAppCodeOfAnotherTenantIsAConflictAndOpensNothing() throws Exception {
        assertThat(open().statusCode()).isEqualTo(202);
        String secondTenant = "beta-" + TenantOpenApiFixture.suffix();
        HttpResponse<String> taken = fx.send("POST", TENANTS, fx.openRequest(secondTenant, tenantAppCode).toString());
        assertThat(taken.statusCode()).as(taken.body()).isEqualTo(409);
        assertThat(fx.read(taken).get("code").asText()).isEqualTo("tenant.conflict.tenantApp");
        assertThat(fx.send("GET", TENANTS + "/" + secondTenant, "").statusCode()).isEqualTo(404);
        assertThat(fx.provisioningInstances(secondTenant, tenantAppCode)).isZero();
        assertThat(fx.provisioningInstances()).isEqualTo(1);
    }

    @Test
    void anEnvironmentWithoutAnOnlineVersionFailsTheAppWithTheReasonInTheCallersLanguage() throws Exception {
        assertThat(open().statusCode()).isEqualTo(202);

        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            JsonNode tenant = fx.read(fx.send("GET", TENANTS + "/" + tenantCode, ""));
            assertThat(tenant.at("/apps/0/stage").asText()).isEqualTo("FAILED");
        });
        JsonNode zh = fx.read(fx.send("GET", TENANTS + "/" + tenantCode, "", "Accept-Language", "zh-CN"));
        assertThat(zh.get("tenantCode").asText()).isEqualTo(tenantCode);
        JsonNode app = zh.get("apps").get(0);
        assertThat(app.get("tenantAppCode").asText()).isEqualTo(tenantAppCode);
        assertThat(app.at("/error/code").asText()).isEqualTo("NO_ONLINE_VERSION");
        assertThat(app.at("/error/message").asText()).containsPattern("\\p{IsHan}").contains(fx.appCode)
            .contains("dev");
        assertThat(app.has("authorizationUrl")).isFalse();
        assertThat(app.has("appId")).isFalse();
        JsonNode en = fx.read(fx.send("GET", TENANTS + "/" + tenantCode, "", "Accept-Language", "en"));
        assertThat(en.at("/apps/0/error/message").asText()).contains("no online version");
    }

    @Test
    void closingATenantClosesItAndRefusesNewApps() throws Exception {
        assertThat(open().statusCode()).isEqualTo(202);
        HttpResponse<String> closed = fx.send("POST", TENANTS + "/" + tenantCode + "/close", "");
        assertThat(closed.statusCode()).as(closed.body()).isEqualTo(202);
        assertThat(fx.read(closed).get("status").asText()).isEqualTo("CLOSED");
        HttpResponse<String> more = fx.send("POST", TENANTS + "/" + tenantCode + "/apps",
            "{\"appCode\":\"" + fx.appCode + "\",\"envCode\":\"dev\",\"tenantAppCode\":\"" + tenantAppCode + "-2\"}");
        assertThat(more.statusCode()).as(more.body()).isEqualTo(409);
        assertThat(fx.read(more).get("code").asText()).isEqualTo("tenant.conflict.closed");
    }

    @Test
    void errorsThatReachNoControllerAreProblemDocuments() throws Exception {
        HttpResponse<String> nothing = fx.send("GET", "/openapi/v1/nothing-here", "", "Accept-Language", "zh-CN");
        assertThat(nothing.statusCode()).as(nothing.body()).isEqualTo(404);
        assertProblem(nothing, "error.http.404");
        assertThat(fx.read(nothing).get("message").asText()).containsPattern("\\p{IsHan}");

        HttpResponse<String> wrongMethod = fx.send("DELETE", TENANTS + "/" + tenantCode, "");
        assertThat(wrongMethod.statusCode()).as(wrongMethod.body()).isEqualTo(405);
        assertProblem(wrongMethod, "error.http.405");
    }

    @Test
    void theOpenApiV1DocumentDescribesTheTenantEndpointsAndTheSignature() throws Exception {
        JsonNode doc = json.readTree(mvc.perform(get("/v3/api-docs/openapi-v1").with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(doc.get("paths").fieldNames()).toIterable().contains(TENANTS, TENANTS + "/{tenantCode}",
            TENANTS + "/{tenantCode}/apps", TENANTS + "/{tenantCode}/close",
            TENANTS + "/{tenantCode}/apps/{tenantAppCode}/authorization-link", "/openapi/v1/whoami");
        assertThat(doc.get("paths").fieldNames()).toIterable().noneMatch(p -> p.startsWith("/api/"));
        JsonNode scheme = doc.at("/components/securitySchemes/MF-HMAC-SHA256");
        assertThat(scheme.get("type").asText()).isEqualTo("apiKey");
        assertThat(scheme.get("in").asText()).isEqualTo("header");
        assertThat(scheme.get("name").asText()).isEqualTo("Authorization");
        assertThat(scheme.get("description").asText()).contains("HMAC-SHA256", "Base64", "docs/openapi.md");
        assertThat(doc.at("/paths/~1openapi~1v1~1tenants/post/security/0").has("MF-HMAC-SHA256")).isTrue();
        assertThat(doc.at("/paths/~1openapi~1v1~1tenants~1{tenantCode}/get/security/0").has("MF-HMAC-SHA256"))
            .isTrue();

        JsonNode api = json.readTree(mvc.perform(get("/v3/api-docs").with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(api.get("paths").fieldNames()).toIterable().contains("/api/apps")
            .noneMatch(p -> p.startsWith("/openapi/"));
        mvc.perform(get("/v3/api-docs/openapi-v1")).andExpect(status().isUnauthorized());
    }

    private HttpResponse<String> open() {
        return fx.send("POST", TENANTS, fx.openRequest(tenantCode, tenantAppCode).toString());
    }

    private void assertRefused(HttpResponse<String> answer, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(401);
        assertProblem(answer, code);
        assertThat(answer.body()).doesNotContain(fx.secret);
    }

    private void assertNotFound(HttpResponse<String> answer, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertProblem(answer, code);
    }

    private void assertProblem(HttpResponse<String> answer, String code) throws Exception {
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = fx.read(answer);
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
    }
}
