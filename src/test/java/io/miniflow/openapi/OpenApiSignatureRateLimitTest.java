package io.miniflow.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.openapi.OpenApiTestWorkspaces.TestWorkspace;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The per-appid rate limit, set low here (a context of its own, hence a class of its own): requests over it answer
 * 429 with Retry-After and change nothing, and another key keeps its own rate.
 */
@MiniflowIntegrationTest
// Its engine gets a name of its own: under "default" it would replace the shared context's engine in Camunda's
// registry, and /engine-rest calls of later test classes would reach this context's database.
@TestPropertySource(properties = {"miniflow.openapi.rate-limit-per-second=3",
    "camunda.bpm.process-engine-name=openapiRateLimit"})
class OpenApiSignatureRateLimitTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identityService;
    @LocalServerPort
    int port;

    @Test
    void requestsOverTheLimitAreRefusedWithRetryAfterAndOtherKeysKeepTheirRate() throws Exception {
        OpenApiTestWorkspaces workspaces = new OpenApiTestWorkspaces(mvc, identityService);
        TestWorkspace ws = workspaces.create();
        SigningClient first = client(workspaces.newKey(ws));
        SigningClient second = client(workspaces.newKey(ws));

        // Sent one after the other until one is refused: at 3 per second that is a handful, however slow the
        // machine; without a limit all 30 would pass.
        List<HttpResponse<String>> answers = new ArrayList<>();
        HttpResponse<String> refused = null;
        while (refused == null && answers.size() < 30) {
            HttpResponse<String> answer = first.send("GET", "/openapi/v1/whoami", "");
            answers.add(answer);
            if (answer.statusCode() == 429) {
                refused = answer;
            }
        }
        assertThat(refused).as("a refusal within 30 requests at 3 per second").isNotNull();
        assertThat(answers.subList(0, answers.size() - 1)).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(200));
        assertThat(answers.size() - 1).as("accepted before the refusal").isGreaterThanOrEqualTo(3);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).contains("\"code\":\"RATE_LIMITED\"");
        assertThat(calls(first.appId)).as("only accepted requests are recorded").isEqualTo(answers.size() - 1);

        assertThat(second.send("GET", "/openapi/v1/whoami", "").statusCode()).as("another key's rate").isEqualTo(200);
    }

    private SigningClient client(JsonNode key) {
        return new SigningClient("http://localhost:" + port, key.get("appId").asText(), key.get("appSecret").asText());
    }

    private long calls(String appId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE action = 'openapi.call' AND actor = ?")
            .param(appId).query(Long.class).single();
    }
}
