package io.miniflow.sandbox.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** /sandbox/receiver/{name} over HTTP: what it records, the faults of its control API, clearing. */
@MiniflowIntegrationTest
class WebhookReceiverTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    final HttpClient client = HttpClient.newHttpClient();
    String name;

    @BeforeEach
    void setUp() {
        name = "hooks-" + System.nanoTime();
    }

    @Test
    void recordsEachDeliveryWithTheHeadersThatMatter() throws Exception {
        HttpResponse<String> first = send("POST", "/sandbox/receiver/" + name + "?attempt=1", "{\"n\":1}",
            "Content-Type", "application/json", "X-Miniflow-Event", "reminder.due", "Authorization", "Bearer t0k",
            "X-Other", "not recorded");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("received").asBoolean()).isTrue();
        assertThat(send("PUT", "/sandbox/receiver/" + name + "/orders/7", "second").statusCode()).isEqualTo(200);

        JsonNode all = admin("GET", "", null).body;
        assertThat(all.get("name").asText()).isEqualTo(name);
        assertThat(all.get("count").asLong()).isEqualTo(2);
        JsonNode d0 = all.get("deliveries").get(0);
        assertThat(d0.get("index").asLong()).isZero();
        assertThat(d0.get("method").asText()).isEqualTo("POST");
        assertThat(d0.get("path").asText()).isEqualTo("/sandbox/receiver/" + name);
        assertThat(d0.get("query").asText()).isEqualTo("attempt=1");
        assertThat(d0.get("body").asText()).isEqualTo("{\"n\":1}");
        assertThat(d0.get("truncated").asBoolean()).isFalse();
        assertThat(d0.get("status").asInt()).isEqualTo(200);
        assertThat(d0.get("receivedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        List<String> headers = new ArrayList<>();
        d0.get("headers").fieldNames().forEachRemaining(h -> headers.add(h.toLowerCase()));
        assertThat(headers).containsExactlyInAnyOrder("content-type", "x-miniflow-event", "authorization");
        assertThat(header(d0, "x-miniflow-event")).isEqualTo("reminder.due");
        assertThat(header(d0, "authorization")).isEqualTo("Bearer t0k");
        JsonNode d1 = all.get("deliveries").get(1);
        assertThat(d1.get("method").asText()).isEqualTo("PUT");
        assertThat(d1.get("path").asText()).isEqualTo("/sandbox/receiver/" + name + "/orders/7");
        assertThat(d1.get("body").asText()).isEqualTo("second");

        JsonNode since = admin("GET", "?since=1", null).body;
        assertThat(since.get("count").asLong()).isEqualTo(2);
        assertThat(since.get("deliveries")).hasSize(1);
        assertThat(since.get("deliveries").get(0).get("index").asLong()).isEqualTo(1);
    }

    @Test
    void keepsTheFirst64KilobytesOfABody() throws Exception {
        send("POST", "/sandbox/receiver/" + name, "x".repeat(70_000));
        JsonNode d = admin("GET", "", null).body.get("deliveries").get(0);
        assertThat(d.get("body").asText()).hasSize(64 * 1024);
        assertThat(d.get("truncated").asBoolean()).isTrue();
    }

    @Test
    void aFaultWithACountFailsThatManyDeliveriesAndRecordsThem() throws Exception {
        assertThat(admin("POST", "/faults", "{\"status\":503,\"count\":2}").status).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(send("POST", "/sandbox/receiver/" + name, "attempt " + i).statusCode());
        }
        assertThat(statuses).containsExactly(503, 503, 200);

        JsonNode all = admin("GET", "", null).body;
        assertThat(all.get("count").asLong()).isEqualTo(3);
        List<Integer> recorded = new ArrayList<>();
        all.get("deliveries").forEach(d -> recorded.add(d.get("status").asInt()));
        assertThat(recorded).containsExactly(503, 503, 200);
    }

    @Test
    void aFaultWithoutCountLastsUntilCleared() throws Exception {
        admin("POST", "/faults", "{\"status\":500}");
        assertThat(send("POST", "/sandbox/receiver/" + name, "a").statusCode()).isEqualTo(500);
        assertThat(send("POST", "/sandbox/receiver/" + name, "b").statusCode()).isEqualTo(500);
        HttpResponse<String> failed = send("POST", "/sandbox/receiver/" + name, "c");
        assertThat(JSON.readTree(failed.body()).get("received").asBoolean()).isFalse();
        assertThat(admin("DELETE", "/faults", null).status).isEqualTo(200);
        assertThat(send("POST", "/sandbox/receiver/" + name, "d").statusCode()).isEqualTo(200);
        assertThat(admin("GET", "", null).body.get("count").asLong()).isEqualTo(4);
    }

    @Test
    void clearingForgetsDeliveriesAndFaults() throws Exception {
        send("POST", "/sandbox/receiver/" + name, "a");
        admin("POST", "/faults", "{\"status\":500}");
        assertThat(admin("DELETE", "", null).status).isEqualTo(200);

        JsonNode cleared = admin("GET", "", null).body;
        assertThat(cleared.get("count").asLong()).isZero();
        assertThat(cleared.get("deliveries")).isEmpty();
        assertThat(send("POST", "/sandbox/receiver/" + name, "b").statusCode()).isEqualTo(200);
        JsonNode after = admin("GET", "", null).body;
        assertThat(after.get("count").asLong()).isEqualTo(1);
        assertThat(after.get("deliveries").get(0).get("index").asLong()).isZero();
        assertThat(after.get("deliveries").get(0).get("body").asText()).isEqualTo("b");
    }

    @Test
    void refusesBadNamesAndFaults() throws Exception {
        HttpResponse<String> badName = send("POST", "/sandbox/receiver/bad.name", "x");
        assertThat(badName.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badName.body()).get("errcode").asInt()).isEqualTo(400);
        name = "n".repeat(65);
        assertThat(admin("GET", "", null).status).isEqualTo(400);
        name = "n".repeat(64);
        assertThat(admin("GET", "", null).status).isEqualTo(200);
        assertThat(admin("POST", "/faults", "{\"status\":99}").status).isEqualTo(400);
        assertThat(admin("POST", "/faults", "{\"status\":500,\"count\":-1}").status).isEqualTo(400);
    }

    // ------------------------------------------------------------------ helpers

    record Answer(int status, JsonNode body) {
    }

    private Answer admin(String method, String suffix, String body) throws Exception {
        HttpResponse<String> r = send(method, "/sandbox/admin/receiver/" + name + suffix, body,
            "Content-Type", "application/json");
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(JsonNode delivery, String lowerName) {
        var it = delivery.get("headers").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase(lowerName)) {
                return e.getValue().asText();
            }
        }
        return null;
    }
}
