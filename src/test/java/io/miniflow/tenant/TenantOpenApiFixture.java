package io.miniflow.tenant;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.UUID;

import io.miniflow.openapi.OpenApiTestWorkspaces;
import io.miniflow.openapi.OpenApiTestWorkspaces.TestWorkspace;
import io.miniflow.openapi.SigningClient;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fresh workspace for one test of the tenant OpenAPI: its admin, a team key, and an app with a "dev" environment
 * that has no online version yet. Sends requests signed with the key, as a SaaS platform would.
 */
final class TenantOpenApiFixture {

    static final String TENANTS = "/openapi/v1/tenants";

    final TestWorkspace ws;
    final String appCode;
    final String appId;
    final String secret;
    final SigningClient client;
    private final ObjectMapper json = new ObjectMapper();
    private final HistoryService history;

    private TenantOpenApiFixture(TestWorkspace ws, String appCode, String appId, String secret, SigningClient client,
                                 HistoryService history) {
        this.ws = ws;
        this.appCode = appCode;
        this.appId = appId;
        this.secret = secret;
        this.client = client;
        this.history = history;
    }

    static TenantOpenApiFixture create(MockMvc mvc, IdentityService identity, HistoryService history, int port)
            throws Exception {
        OpenApiTestWorkspaces workspaces = new OpenApiTestWorkspaces(mvc, identity);
        TestWorkspace ws = workspaces.create();
        JsonNode key = workspaces.newKey(ws);
        String appCode = "t" + suffix();
        mvc.perform(post("/api/apps").with(httpBasic(ws.admin(), ws.admin())).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"" + ws.name() + "\",\"appCode\":\"" + appCode
                    + "\",\"name\":\"Tenant test app\",\"engineVersion\":\"1.0.0\"}"))
            .andExpect(status().isCreated());
        mvc.perform(post("/api/apps/{a}/environments", appCode).with(httpBasic(ws.admin(), ws.admin()))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"envCode\":\"dev\",\"name\":\"dev\",\"domain\":\"https://dev.example.com\","
                    + "\"apiDomain\":\"https://api-dev.example.com\","
                    + "\"requiresApproval\":false}"))
            .andExpect(status().isCreated());
        String appId = key.get("appId").asText();
        String secret = key.get("appSecret").asText();
        return new TenantOpenApiFixture(ws, appCode, appId, secret,
            new SigningClient("http://localhost:" + port, appId, secret), history);
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** A valid opening request for this workspace's app: only the required fields. */
    ObjectNode openRequest(String tenantCode, String tenantAppCode) {
        return json.createObjectNode().put("tenantCode", tenantCode).put("name", "Acme Ltd").put("appCode", appCode)
            .put("envCode", "dev").put("tenantAppCode", tenantAppCode);
    }

    /** Signed now with a fresh nonce; further headers as name, value, name, value. */
    HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers) {
        String authorization = SigningClient.authorization(appId, secret, method, pathAndQuery,
            Instant.now().getEpochSecond(), SigningClient.newNonce(), body);
        return client.sendWith(method, pathAndQuery, body, authorization, headers);
    }

    JsonNode read(HttpResponse<String> answer) throws Exception {
        return json.readTree(answer.body());
    }

    /** tenant-provisioning instances ever started for this workspace (running or ended). */
    long provisioningInstances() {
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(TenantVariables.PROCESS_KEY)
            .variableValueEquals(TenantVariables.WORKSPACE.name(), ws.name()).count();
    }

    /** tenant-provisioning instances ever started for this tenant app (business key tenantCode/tenantAppCode). */
    long provisioningInstances(String tenantCode, String tenantAppCode) {
        return history.createHistoricProcessInstanceQuery().processDefinitionKey(TenantVariables.PROCESS_KEY)
            .processInstanceBusinessKey(tenantCode + "/" + tenantAppCode).count();
    }
}
