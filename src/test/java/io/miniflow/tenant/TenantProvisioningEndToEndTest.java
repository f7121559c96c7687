package io.miniflow.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.miniflow.MiniflowIntegrationTest;

import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue #13's end-to-end test on H2 (20 tenants), and the two failures after binding that stop for an operator,
 * with the real steps: a webhook the SaaS platform keeps refusing, and a first release whose audit was rejected.
 * In both the operator retries through the engine's REST API as Tasklist does, and the tenant goes live.
 */
@MiniflowIntegrationTest
class TenantProvisioningEndToEndTest extends TenantProvisioningEndToEnd {

    @Autowired
    TaskService taskService;

    TenantProvisioningEndToEndTest() {
        super(20);
    }

    @Test
    void aWebhookTheSaasPlatformKeepsRefusingWaitsForAnOperatorWhoRetries() throws Exception {
        sandbox.post("/sandbox/admin/receiver/" + receiver + "/faults", "{\"status\":503}");
        String code = "hook-" + receiver.toLowerCase();
        String link = open(code, "http://localhost:" + port + "/sandbox/receiver/" + receiver);
        sandbox.post("/sandbox/admin/wechat/consent", json.writeValueAsString(Map.of("url", link)));

        JsonNode failed = await().atMost(WAIT).until(() -> app(code), a -> "FAILED".equals(a.path("stage").asText()));
        assertThat(failed.get("error").get("code").asText()).isEqualTo("WEBHOOK_FAILED");
        // Three attempts (the test profile's miniflow.tenants.webhook-attempts), each refused, then the operator.
        assertThat(deliveries("tenant.data_migration")).isEqualTo(3);

        sandbox.delete("/sandbox/admin/receiver/" + receiver + "/faults");
        retryAsOperator(code);

        await().atMost(WAIT).until(() -> "ACTIVE".equals(tenant(code).get("status").asText()));
        assertThat(deliveries("tenant.data_migration")).isEqualTo(4);
        assertThat(deliveries("tenant.live")).isEqualTo(1);
    }

    @Test
    void aFirstReleaseRejectedInAuditWaitsForAnOperatorWhoRetries() throws Exception {
        String appId = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0)
            .get("appid").asText();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"appid\":\"" + appId
            + "\",\"reason\":\"The category does not match\"}");
        try {
            String code = "audit-" + receiver.toLowerCase();
            String link = open(code, null);
            sandbox.post("/sandbox/admin/wechat/consent", json.writeValueAsString(Map.of("url", link, "appId", appId)));

            // The release asks its own question first (resubmit or abandon); abandoned, the tenant's operator decides.
            Task rejection = await().atMost(WAIT).until(() -> taskService.createTaskQuery()
                .taskDefinitionKey("Task_DecideAfterRejection").processInstanceBusinessKey(appId).singleResult(),
                t -> t != null);
            assertThat(engineRest("mpadmin", "/task/" + rejection.getId() + "/complete",
                "{\"variables\":{\"rejectionDecision\":{\"value\":\"ABANDON\"}}}").statusCode()).isEqualTo(204);
            JsonNode failed = await().atMost(WAIT).until(() -> app(code),
                a -> "FAILED".equals(a.path("stage").asText()));
            assertThat(failed.get("error").get("code").asText()).isEqualTo("RELEASE_FAILED");
            assertThat(failed.get("appId").asText()).isEqualTo(appId);

            sandbox.delete("/sandbox/admin/wechat/audit-rules");
            retryAsOperator(code);
            await().atMost(WAIT).until(() -> "ACTIVE".equals(tenant(code).get("status").asText()));
            assertThat(app(code).get("releasedVersion").asText()).isEqualTo("2.3.0");
        } finally {
            sandbox.delete("/sandbox/admin/wechat/audit-rules");
        }
    }

    /** Opens a tenant with one app (a webhook URL or none) and returns its authorization link once it has one. */
    private String open(String code, String notifyUrl) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("tenantCode", code, "name", "Tenant " + code,
            "appCode", appCode, "envCode", "prod", "tenantAppCode", code + "-shop", "templateId", templateId));
        if (notifyUrl != null) {
            body.put("notifyUrl", notifyUrl);
        }
        HttpResponse<String> opened = politely("POST", "/openapi/v1/tenants", json.writeValueAsString(body));
        assertThat(opened.statusCode()).as(opened.body()).isEqualTo(202);
        return await().atMost(WAIT).until(() -> app(code).path("authorizationUrl").asText(null), url -> url != null);
    }

    /** The operator's task of this tenant's app, completed with RETRY as Tasklist would. */
    private void retryAsOperator(String code) throws Exception {
        String instance = jdbc.sql("SELECT process_instance_id FROM mf_tenant_app WHERE tenant_app_code = ?")
            .param(code + "-shop").query(String.class).single();
        Task task = await().atMost(WAIT).until(() -> taskService.createTaskQuery().processInstanceId(instance)
            .taskDefinitionKey("Task_RetryOrClose").singleResult(), t -> t != null);
        assertThat(engineRest("operator", "/task/" + task.getId() + "/complete",
            "{\"variables\":{\"operatorDecision\":{\"value\":\"RETRY\"}}}").statusCode()).isEqualTo(204);
    }

    private long deliveries(String event) {
        JsonNode all = sandbox.get("/sandbox/admin/receiver/" + receiver).get("deliveries");
        long n = 0;
        for (JsonNode d : all) {
            if (d.get("body").asText().contains("\"event\":\"" + event + "\"")) {
                n++;
            }
        }
        return n;
    }

    private HttpResponse<String> engineRest(String user, String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/engine-rest" + path)).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + user)
                .getBytes(StandardCharsets.UTF_8)))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }
}
