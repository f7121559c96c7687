package io.miniflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;
import io.miniflow.wechat.WechatClient;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * How many calls per second the WeChat emulator serves on this machine (a read and a state-changing call, several
 * client threads), and what Miniflow's WechatClient adds per call over a bare HTTP request to the same API.
 */
@Tag("bench")
@MiniflowIntegrationTest
class WechatEmulatorBenchmark {

    private static final int THREADS = 4;
    private static final int CALLS = 4_000;
    private static final int SEQUENTIAL = 2_000;

    @LocalServerPort
    int port;
    @Autowired
    WechatClient client;

    @Test
    void measureEmulatorThroughputAndClientOverhead() throws Exception {
        WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}");
        sandbox.delete("/sandbox/admin/wechat/faults");
        String componentToken = sandbox.componentToken();
        List<String[]> apps = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            apps.add(sandbox.newAuthorizer(componentToken));
        }
        long template = sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + componentToken)
            .get("template_list").get(0).get("template_id").asLong();
        String base = "http://localhost:" + port + "/sandbox/wechat/";
        HttpClient http = HttpClient.newHttpClient();

        // warm-up
        throughput(http, apps, base, "wxa/get_category", null, 1_000);
        double reads = throughput(http, apps, base, "wxa/get_category", null, CALLS);
        double commits = throughput(http, apps, base, "wxa/commit", "{\"template_id\":" + template
            + ",\"ext_json\":\"{}\",\"user_version\":\"bench\",\"user_desc\":\"bench\"}", CALLS);

        // client overhead: the same read, one thread, bare HTTP versus WechatClient (token lookup, JSON mapping)
        String appId = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0)
            .get("appid").asText();
        client.categories(appId);
        String token = apps.get(0)[1];
        for (int i = 0; i < 500; i++) {
            client.categories(appId);
            get(http, base + "wxa/get_category?access_token=" + token);
        }
        // interleaved rounds, so JIT warm-up and other load on the machine hit both sides alike
        long bareNanos = 0;
        long clientNanos = 0;
        for (int round = 0; round < SEQUENTIAL / 100; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                get(http, base + "wxa/get_category?access_token=" + token);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                client.categories(appId);
            }
            long t2 = System.nanoTime();
            bareNanos += t1 - t0;
            clientNanos += t2 - t1;
        }
        double bareMicros = bareNanos / 1e3 / SEQUENTIAL;
        double clientMicros = clientNanos / 1e3 / SEQUENTIAL;

        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        BenchmarkReport.writeSection("wechat-emulator", """
            ## WeChat emulator throughput and WechatClient overhead

            The emulator in the same JVM as the client (sandbox profile, in-memory H2), %d client threads over HTTP,
            %d calls each measurement after a warm-up. The emulator checks tokens and counts calls in memory (the
            counts are saved every second); commit also writes the mini program's state to its table. The client
            overhead compares the same read made bare and through WechatClient in interleaved rounds of 100; a
            difference within ±10%% of a call is noise. System load average at the end: %.1f (other builds shared the machine).

            | measure | value |
            |---|---|
            | get_category (read), calls / s | %.0f |
            | commit (state change), calls / s | %.0f |
            | one thread, bare HTTP get_category, µs / call | %.0f |
            | one thread, WechatClient.categories, µs / call | %.0f |
            | WechatClient overhead, µs / call | %.0f |
            """.formatted(THREADS, CALLS, load, reads, commits, bareMicros, clientMicros, clientMicros - bareMicros));
    }

    private static double throughput(HttpClient http, List<String[]> apps, String base, String api, String body,
                                     int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(apps.size());
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (String[] app : apps) {
            futures.add(pool.submit(() -> {
                for (int i = 0; i < calls / apps.size(); i++) {
                    String url = base + api + "?access_token=" + app[1];
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
                    if (body != null) {
                        request.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body));
                    }
                    JsonNode answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                        http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
                    if (answer.path("errcode").asInt(0) != 0) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " calls of " + api + " failed");
        }
        return calls / seconds;
    }

    private static void get(HttpClient http, String url) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
