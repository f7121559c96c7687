package io.miniflow.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.openapi.OpenApiTestWorkspaces.TestWorkspace;

import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Creations sent at the same moment still leave at most two active keys (the workspace row is locked). */
@MiniflowIntegrationTest
class OpenApiKeysConcurrencyTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    IdentityService identityService;
    @LocalServerPort
    int port;

    @Test
    void simultaneousCreationsMakeNoMoreThanTwoActiveKeys() {
        TestWorkspace ws;
        try {
            ws = new OpenApiTestWorkspaces(mvc, identityService).create();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String basic = "Basic " + Base64.getEncoder()
            .encodeToString((ws.admin() + ":" + ws.admin()).getBytes(StandardCharsets.UTF_8));
        HttpRequest create = HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/api/workspaces/" + ws.name() + "/openapi-keys"))
            .header("Authorization", basic).POST(HttpRequest.BodyPublishers.noBody()).build();

        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(http.sendAsync(create, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = sent.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(2);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(18);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_openapi_key WHERE workspace = ? AND revoked_at IS NULL")
            .param(ws.name()).query(Long.class).single()).isEqualTo(2);
    }
}
