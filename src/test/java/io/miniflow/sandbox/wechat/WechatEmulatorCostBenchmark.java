package io.miniflow.sandbox.wechat;

import java.io.File;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import io.miniflow.bench.BenchmarkReport;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the WeChat emulator costs per mini program when it runs in a JVM of its own (sandbox-only), as in issue #17's
 * measurement: each mini program's release is 8 platform calls and one encrypted audit push, sent from this JVM by
 * several threads; the emulator JVM's CPU time (from the operating system) is divided by the mini programs served.
 * <p>
 * {@code -Demulator.compare.classes=/path/to/classes} also measures another build of the emulator (e.g. the commit
 * before a change, compiled elsewhere), alternating the two so that other load on the machine hits both alike.
 * {@code -Demulator.jvm.args="-XX:StartFlightRecording=..."} profiles the emulator JVM.
 */
@Tag("bench")
class WechatEmulatorCostBenchmark {

    private static final int THREADS = 8;
    private static final int WARM_UP = 300;
    private static final int MINI_PROGRAMS = 1_000;
    private static final int CALLS_PER_MINI_PROGRAM = 8;
    private static final int ROUNDS = Integer.getInteger("emulator.rounds", 2);

    static {
        // without it the JDK's server answers each push about 40 ms late (Nagle's algorithm against delayed ACKs),
        // and the emulator's single push thread, not its CPU, would set the pace
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    record Result(double cpuMillisPerMiniProgram, double miniProgramsPerSecond) {
    }

    @Test
    void measureEmulatorCpuPerMiniProgram() throws Exception {
        String thisBuild = Path.of("target/classes").toAbsolutePath().toString();
        String otherBuild = System.getProperty("emulator.compare.classes");
        List<Result> current = new ArrayList<>();
        List<Result> other = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            if (otherBuild != null) {
                other.add(measure(otherBuild));
            }
            current.add(measure(thisBuild));
        }
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        StringBuilder table = new StringBuilder("""
            | build | emulator CPU, ms / mini program | µs / call | mini programs / s (8 client threads) |
            |---|---|---|---|
            """);
        table.append(row("this build", current));
        if (otherBuild != null) {
            table.append(row("compared build (" + System.getProperty("emulator.compare.name", otherBuild) + ")",
                other));
        }
        String markdown = """
            ## WeChat emulator CPU per mini program, in its own JVM

            The emulators alone (`sandbox-only`, in-memory H2, `-Xmx512m`) serve %d mini programs after %d of warm-up,
            each released with %d calls (getversioninfo, commit, get_code_privacy_info, get_latest_auditstatus,
            submit_audit, then after the encrypted audit push get_latest_auditstatus, release, getversioninfo) from %d
            client threads in the benchmark's JVM. CPU is the emulator process's user + system time over the measured
            part, as the operating system counts it; median of %d rounds. System load average at the end: %.1f.

            %s""".formatted(MINI_PROGRAMS, WARM_UP, CALLS_PER_MINI_PROGRAM, THREADS, ROUNDS, load, table);
        System.out.println(markdown);
        BenchmarkReport.writeSection("wechat-emulator-cost", markdown);
    }

    private static String row(String name, List<Result> results) {
        double cpu = median(results.stream().mapToDouble(Result::cpuMillisPerMiniProgram).toArray());
        double rate = median(results.stream().mapToDouble(Result::miniProgramsPerSecond).toArray());
        return "| %s | %.1f | %.0f | %.0f |%n".formatted(name, cpu, cpu * 1000 / CALLS_PER_MINI_PROGRAM, rate);
    }

    private static double median(double[] values) {
        java.util.Arrays.sort(values);
        return values.length % 2 == 1 ? values[values.length / 2]
            : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    /** Starts the emulator of the given build in a JVM of its own and releases mini programs through it. */
    private Result measure(String classes) throws Exception {
        AtomicInteger pushes = new AtomicInteger();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            pushes.incrementAndGet();
            byte[] success = "success".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, success.length);
            exchange.getResponseBody().write(success);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(2));
        receiver.start();
        int port = freePort();
        Process emulator = startEmulator(classes, port,
            "http://localhost:" + receiver.getAddress().getPort() + "/wechat/callback");
        try {
            String base = "http://localhost:" + port;
            awaitHealth(base);
            post(base + "/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":0,\"privacy_scan_delay_millis\":0}");
            post(base + "/sandbox/admin/wechat/quota", "{\"limit\":1000000}");
            WechatSandboxHttp sandbox = new WechatSandboxHttp(port);
            String componentToken = sandbox.componentToken();
            long template = sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + componentToken)
                .get("template_list").get(0).get("template_id").asLong();

            release(base, authorize(base, componentToken, WARM_UP), template, pushes);
            List<String> tokens = authorize(base, componentToken, MINI_PROGRAMS);
            long cpuBefore = cpuNanos(emulator);
            long start = System.nanoTime();
            release(base, tokens, template, pushes);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMillis = (cpuNanos(emulator) - cpuBefore) / 1e6;
            return new Result(cpuMillis / MINI_PROGRAMS, MINI_PROGRAMS / seconds);
        } finally {
            emulator.destroy();
            emulator.waitFor();
            receiver.stop(0);
        }
    }

    private Process startEmulator(String classes, int port, String callbackUrl) throws Exception {
        String classpath = classes + File.pathSeparator + dependencies();
        List<String> command = new ArrayList<>(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        String extra = System.getProperty("emulator.jvm.args");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath, "io.miniflow.sandbox.SandboxApplication",
            "--server.port=" + port, "--spring.datasource.url=jdbc:h2:mem:emulator;DB_CLOSE_DELAY=-1",
            "--miniflow.wechat.callback-url=" + callbackUrl, "--spring.main.banner-mode=off",
            "--logging.level.root=WARN"));
        Path log = Files.createTempFile("wechat-emulator", ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** The test classpath without this build's classes: the libraries the emulator needs. */
    private static String dependencies() {
        StringBuilder libraries = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                libraries.append(libraries.isEmpty() ? "" : File.pathSeparator).append(entry);
            }
        }
        return libraries.toString();
    }

    /** New authorized mini programs and their authorizer access tokens (not measured: done once per two hours). */
    private List<String> authorize(String base, String componentToken, int count) throws Exception {
        JsonNode created = post(base + "/sandbox/admin/wechat/authorizers", "{\"count\":" + count + ",\"push\":false}");
        List<String> tokens = new ArrayList<>();
        for (JsonNode app : created) {
            tokens.add(post(base + "/sandbox/wechat/cgi-bin/component/api_authorizer_token?component_access_token="
                    + componentToken, "{\"component_appid\":\"wx0000000000sandbox\",\"authorizer_appid\":\""
                    + app.get("appid").asText() + "\",\"authorizer_refresh_token\":\""
                    + app.get("refresh_token").asText() + "\"}")
                .get("authorizer_access_token").asText());
        }
        return tokens;
    }

    /** Commits and submits every mini program, waits for the audit pushes, then releases them all. */
    private void release(String base, List<String> tokens, long template, AtomicInteger pushes) throws Exception {
        int pushesBefore = pushes.get();
        String wxa = base + "/sandbox/wechat/wxa/";
        forEach(tokens, token -> {
            String q = "?access_token=" + token;
            call(wxa + "getversioninfo" + q, "{}");
            call(wxa + "commit" + q, "{\"template_id\":" + template
                + ",\"ext_json\":\"{}\",\"user_version\":\"1.0." + token.hashCode() + "\",\"user_desc\":\"bench\"}");
            call(wxa + "security/get_code_privacy_info" + q, null);
            post(wxa + "get_latest_auditstatus" + q, null);
            call(wxa + "submit_audit" + q, "{}");
        });
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (pushes.get() - pushesBefore < tokens.size() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        forEach(tokens, token -> {
            String q = "?access_token=" + token;
            call(wxa + "get_latest_auditstatus" + q, null);
            call(wxa + "release" + q, "{}");
            call(wxa + "getversioninfo" + q, "{}");
        });
    }

    private interface Step {
        void run(String token) throws Exception;
    }

    private void forEach(List<String> tokens, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (String token : tokens) {
                futures.add(pool.submit(() -> {
                    step.run(token);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** A platform call that must succeed. */
    private void call(String url, String body) throws Exception {
        JsonNode answer = post(url, body);
        if (answer.path("errcode").asInt(0) != 0) {
            throw new IllegalStateException(url.replaceAll("\\?.*", "") + " answered " + answer);
        }
    }

    private JsonNode post(String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (body != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return json.readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private void awaitHealth(String base) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the emulator did not start at " + base);
    }

    private static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().orElseThrow().toNanos();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
