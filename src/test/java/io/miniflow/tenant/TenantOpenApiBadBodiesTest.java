package io.miniflow.tenant;

import static io.miniflow.tenant.TenantOpenApiFixture.TENANTS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.miniflow.MiniflowIntegrationTest;

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
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bodies of POST /openapi/v1/tenants that the contract refuses (issue 13): each is a 400 problem document naming
 * the refused field with a message in the caller's language, and nothing is created: no tenant row, no
 * tenant-provisioning instance.
 */
@MiniflowIntegrationTest
class TenantOpenApiBadBodiesTest {

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

    TenantOpenApiFixture fx;
    String tenantCode;
    String tenantAppCode;

    @BeforeEach
    void freshWorkspace() throws Exception {
        fx = TenantOpenApiFixture.create(mvc, identityService, historyService, port);
        tenantCode = "acme-" + TenantOpenApiFixture.suffix();
        tenantAppCode = tenantCode + "-shop";
    }

    static Stream<Arguments> badBodies() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return Stream.of(
            bad("missing tenantCode", "tenantCode", body -> body.remove("tenantCode")),
            bad("tenantCode with an uppercase first letter", "tenantCode", body -> body.put("tenantCode", "Acme")),
            bad("tenantCode of 65 characters", "tenantCode", body -> body.put("tenantCode", "a".repeat(65))),
            bad("tenantCode with a space", "tenantCode", body -> body.put("tenantCode", "acme ltd")),
            bad("tenantCode a number", "tenantCode", body -> body.put("tenantCode", 42)),
            bad("missing name", "name", body -> body.remove("name")),
            bad("name of spaces only", "name", body -> body.put("name", "   ")),
            bad("name of 101 characters", "name", body -> body.put("name", "n".repeat(101))),
            bad("name with a control character", "name", body -> body.put("name", "Acme\u0007Ltd")),
            bad("missing appCode", "appCode", body -> body.remove("appCode")),
            bad("unknown appCode", "appCode", body -> body.put("appCode", "no-such-app")),
            bad("missing envCode", "envCode", body -> body.remove("envCode")),
            bad("unknown envCode", "envCode", body -> body.put("envCode", "prod")),
            bad("missing tenantAppCode", "tenantAppCode", body -> body.remove("tenantAppCode")),
            bad("tenantAppCode with an underscore", "tenantAppCode", body -> body.put("tenantAppCode", "shop_1")),
            bad("tenantAppCode starting with a digit", "tenantAppCode", body -> body.put("tenantAppCode", "1shop")),
            bad("extJson an array", "extJson", body -> body.set("extJson", nodes.arrayNode().add("x"))),
            bad("extJson a string", "extJson", body -> body.put("extJson", "{\"a\":1}")),
            bad("extJson over 8000 characters", "extJson",
                body -> body.set("extJson", nodes.objectNode().put("logo", "x".repeat(8000)))),
            bad("templateId 0", "templateId", body -> body.put("templateId", 0)),
            bad("templateId -5", "templateId", body -> body.put("templateId", -5)),
            bad("templateId a string", "templateId", body -> body.put("templateId", "7")),
            bad("templateId a fraction", "templateId", body -> body.put("templateId", 2.5)),
            bad("notifyUrl not a URL", "notifyUrl", body -> body.put("notifyUrl", "not a url")),
            bad("notifyUrl ftp://", "notifyUrl", body -> body.put("notifyUrl", "ftp://example.com/hooks")),
            bad("notifyUrl http:// to a public host", "notifyUrl",
                body -> body.put("notifyUrl", "http://example.com/hooks")),
            bad("notifyUrl to an internal address", "notifyUrl",
                body -> body.put("notifyUrl", "https://10.0.0.1/hooks")),
            bad("notifyUrl over 500 characters", "notifyUrl",
                body -> body.put("notifyUrl", "https://example.com/" + "h".repeat(490))),
            bad("contact of 201 characters", "contact", body -> body.put("contact", "c".repeat(201))),
            bad("an unknown field", "notifyURL", body -> body.put("notifyURL", "https://example.com/hooks")));
    }

    private static Arguments bad(String what, String field, Consumer<ObjectNode> change) {
        return Arguments.of(what, field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void aBadBodyIsRefusedWithTheFieldNamedAndNothingIsCreated(String what, String field,
                                                                Consumer<ObjectNode> change) throws Exception {
        ObjectNode body = fx.openRequest(tenantCode, tenantAppCode);
        change.accept(body);

        HttpResponse<String> answer = fx.send("POST", TENANTS, body.toString(), "Accept-Language", "zh-CN");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertProblemDocument(answer);
        JsonNode errors = fx.read(answer).get("errors");
        assertThat(errors).as(answer.body()).isNotNull();
        JsonNode error = null;
        for (JsonNode e : errors) {
            if (field.equals(e.get("field").asText())) {
                error = e;
            }
        }
        assertThat(error).as("errors[] names %s: %s", field, answer.body()).isNotNull();
        assertThat(error.get("message").asText()).as("in Chinese").containsPattern("\\p{IsHan}");
        assertThat(error.get("message_en").asText()).isNotBlank().doesNotContainPattern("\\p{IsHan}");
        assertNothingCreated();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAndNothingIsCreated() throws Exception {
        HttpResponse<String> answer = fx.send("POST", TENANTS, "tenantCode=acme&name=Acme", "Accept-Language", "zh-CN");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertProblemDocument(answer);
        assertThat(fx.read(answer).get("code").asText()).isEqualTo("error.body.unreadable");
        assertThat(fx.read(answer).get("message").asText()).containsPattern("\\p{IsHan}");
        assertNothingCreated();
    }

    @Test
    void anEmptyBodyIsRefusedAndNothingIsCreated() throws Exception {
        HttpResponse<String> answer = fx.send("POST", TENANTS, "");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertProblemDocument(answer);
        assertThat(fx.read(answer).get("code").asText()).isEqualTo("error.body.unreadable");
        assertNothingCreated();
    }

    @Test
    void everyRefusedFieldIsNamedAtOnce() throws Exception {
        ObjectNode body = fx.openRequest("Acme", "shop_1");
        body.remove("name");
        body.put("templateId", 0);
        HttpResponse<String> answer = fx.send("POST", TENANTS, body.toString());
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(fx.read(answer).findValuesAsText("field"))
            .containsExactlyInAnyOrder("tenantCode", "name", "tenantAppCode", "templateId");
        assertThat(fx.read(answer).get("code").asText()).isEqualTo("error.validation");
        assertNothingCreated();
    }

    @Test
    void theValidBodyOfTheseTestsIsAccepted() throws Exception {
        // Guards the cases above: each refusal comes from its one change, not from the base body.
        HttpResponse<String> answer = fx.send("POST", TENANTS, fx.openRequest(tenantCode, tenantAppCode).toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(fx.provisioningInstances(tenantCode, tenantAppCode)).isEqualTo(1);
    }

    private static void assertProblemDocument(HttpResponse<String> answer) {
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("application/problem+json"));
    }

    private void assertNothingCreated() {
        assertThat(fx.send("GET", TENANTS + "/" + tenantCode, "").statusCode()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_tenant WHERE workspace = ?").param(fx.ws.name())
            .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_tenant_app WHERE workspace = ?").param(fx.ws.name())
            .query(Long.class).single()).isZero();
        assertThat(fx.provisioningInstances(tenantCode, tenantAppCode)).isZero();
        assertThat(fx.provisioningInstances()).isZero();
    }
}
