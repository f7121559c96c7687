package io.miniflow.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.openapi.OpenApiTestWorkspaces.TestWorkspace;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Signed requests end to end over real HTTP, as a SaaS platform sends them ({@link SigningClient}): the accepted
 * call, and every refusal of docs/openapi.md with its code, leaving no trace.
 */
@MiniflowIntegrationTest
class OpenApiSignatureHttpTest {

    private static final String WHOAMI = "/openapi/v1/whoami";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identityService;
    @LocalServerPort
    int port;

    final ObjectMapper json = new ObjectMapper();
    OpenApiTestWorkspaces workspaces;
    TestWorkspace ws;
    SigningClient client;

    @BeforeEach
    void newKey() throws Exception {
        workspaces = new OpenApiTestWorkspaces(mvc, identityService);
        ws = workspaces.create();
        JsonNode key = workspaces.newKey(ws);
        client = new SigningClient("http://localhost:" + port, key.get("appId").asText(),
            key.get("appSecret").asText());
    }

    @Test
    void aSignedRequestIsAnsweredForTheKeysWorkspaceAndRecorded() throws Exception {
        HttpResponse<String> answer = client.send("GET", WHOAMI, "");
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("appId").asText()).isEqualTo(client.appId);
        assertThat(body.get("workspace").asText()).isEqualTo(ws.name());
        assertThat(answer.headers().firstValue("Set-Cookie")).as("stateless").isEmpty();

        assertThat(lastUsedAt()).isNotNull();
        assertThat(jdbc.sql("SELECT detail FROM mf_audit_log WHERE action = 'openapi.call' AND actor = ?")
            .param(client.appId).query(String.class).list()).containsExactly("GET " + WHOAMI);
    }

    @Test
    void aReplayedNonceIsRefusedEvenWithANewTimestamp() throws Exception {
        long now = Instant.now().getEpochSecond();
        String nonce = SigningClient.newNonce();
        assertThat(client.send("GET", WHOAMI, "", now, nonce).statusCode()).isEqualTo(200);
        assertRefused(client.send("GET", WHOAMI, "", now, nonce), 401, "NONCE_REUSED");
        assertRefused(client.send("GET", WHOAMI, "", now + 1, nonce), 401, "NONCE_REUSED");
        assertThat(calls()).isEqualTo(1);
    }

    @Test
    void timestampsMoreThan300SecondsAwayAreRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        assertRefused(client.send("GET", WHOAMI, "", now - 301, SigningClient.newNonce()), 401, "TIMESTAMP_EXPIRED");
        assertRefused(client.send("GET", WHOAMI, "", now + 302, SigningClient.newNonce()), 401, "TIMESTAMP_EXPIRED");
        assertRefused(client.send("GET", WHOAMI, "", 0, SigningClient.newNonce()), 401, "TIMESTAMP_EXPIRED");
        assertThat(client.send("GET", WHOAMI, "", now - 250, SigningClient.newNonce()).statusCode()).isEqualTo(200);
        assertThat(client.send("GET", WHOAMI, "", now + 250, SigningClient.newNonce()).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongSecretIsRefusedAndItsNonceIsNotUsedUp() throws Exception {
        long now = Instant.now().getEpochSecond();
        String nonce = SigningClient.newNonce();
        SigningClient impostor = new SigningClient("http://localhost:" + port, client.appId,
            Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        assertRefused(impostor.send("GET", WHOAMI, "", now, nonce), 401, "SIGNATURE_MISMATCH");
        assertThat(lastUsedAt()).as("a refusal records nothing").isNull();
        assertThat(calls()).isZero();
        assertThat(client.send("GET", WHOAMI, "", now, nonce).statusCode()).isEqualTo(200);
    }

    @Test
    void aRevokedKeyIsRefusedFromTheNextRequestOn() throws Exception {
        assertThat(client.send("GET", WHOAMI, "").statusCode()).isEqualTo(200);
        mvc.perform(delete("/api/workspaces/" + ws.name() + "/openapi-keys/" + client.appId)
                .with(httpBasic(ws.admin(), ws.admin())))
            .andExpect(status().isNoContent());
        assertRefused(client.send("GET", WHOAMI, ""), 401, "APPID_UNKNOWN");
        SigningClient unknown = new SigningClient("http://localhost:" + port, "mf0000000000000000", client.secret);
        assertRefused(unknown.send("GET", WHOAMI, ""), 401, "APPID_UNKNOWN");
    }

    @Test
    void missingOrGarbledHeadersAndLoginsAreRefused() throws Exception {
        assertRefused(client.sendWith("GET", WHOAMI, "", null), 401, "AUTHORIZATION_MALFORMED");
        assertRefused(client.sendWith("GET", WHOAMI, "", "MF-HMAC-SHA256 appid=\"" + client.appId + "\""), 401,
            "AUTHORIZATION_MALFORMED");
        String valid = SigningClient.authorization(client.appId, client.secret, "GET", WHOAMI,
            Instant.now().getEpochSecond(), "short", "");
        assertRefused(client.sendWith("GET", WHOAMI, "", valid), 401, "AUTHORIZATION_MALFORMED");
        // A person's login is no key: the OpenAPI does not take HTTP Basic, even a platform admin's.
        assertRefused(client.sendWith("GET", WHOAMI, "", "Basic " + Base64.getEncoder()
            .encodeToString("admin:admin".getBytes())), 401, "AUTHORIZATION_MALFORMED");
        assertThat(calls()).isZero();
    }

    @Test
    void aBodyChangedAfterSigningIsRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        String nonce = SigningClient.newNonce();
        String signed = "{\"tenantCode\":\"acme\"}";
        String authorization = SigningClient.authorization(client.appId, client.secret, "POST", WHOAMI, now, nonce,
            signed);
        assertRefused(client.sendWith("POST", WHOAMI, "{\"tenantCode\":\"evil\"}", authorization), 401,
            "SIGNATURE_MISMATCH");
        // The body as signed passes the check (whoami answers only GET, hence 405 after authentication).
        assertThat(client.sendWith("POST", WHOAMI, signed, authorization).statusCode()).isEqualTo(405);
        assertThat(calls()).isEqualTo(1);
    }

    @Test
    void aQueryStringChangedAfterSigningIsRefused() throws Exception {
        long now = Instant.now().getEpochSecond();
        String nonce = SigningClient.newNonce();
        String authorization = SigningClient.authorization(client.appId, client.secret, "GET", WHOAMI + "?page=1",
            now, nonce, "");
        assertRefused(client.sendWith("GET", WHOAMI + "?page=2", "", authorization), 401, "SIGNATURE_MISMATCH");
        assertRefused(client.sendWith("GET", WHOAMI, "", authorization), 401, "SIGNATURE_MISMATCH");
        assertThat(client.sendWith("GET", WHOAMI + "?page=1", "", authorization).statusCode()).isEqualTo(200);
    }

    @Test
    void refusalsSpeakTheCallersLanguage() throws Exception {
        HttpResponse<String> answer = client.sendWith("GET", WHOAMI, "", null, "Accept-Language", "zh-CN");
        JsonNode body = assertRefused(answer, 401, "AUTHORIZATION_MALFORMED");
        assertThat(body.get("message").asText()).contains("请求头");
        assertThat(body.get("message_en").asText()).contains("Authorization header");
    }

    private JsonNode assertRefused(HttpResponse<String> answer, int status, String code) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
            type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode body = json.readTree(answer.body());
        assertThat(body.get("code").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(answer.body()).doesNotContain(client.secret);
        return body;
    }

    private java.sql.Timestamp lastUsedAt() {
        return jdbc.sql("SELECT last_used_at FROM mf_openapi_key WHERE app_id = ?").param(client.appId)
            .query((rs, row) -> rs.getTimestamp(1)).list().get(0);
    }

    private long calls() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE action = 'openapi.call' AND actor = ?")
            .param(client.appId).query(Long.class).single();
    }
}
