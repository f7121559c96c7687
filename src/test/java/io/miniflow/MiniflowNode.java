package io.miniflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.jar.JarFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Miniflow with its sandbox as a separate JVM on a MySQL-family database, as it runs in production: for the tests
 * that kill a node or measure one. Started with the application's classpath, reached over HTTP (the demo users'
 * passwords are their names), its database read with JDBC.
 */
public final class MiniflowNode implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String base;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private MiniflowNode(Process process, String base, String dbUrl, String dbUser, String dbPassword) {
        this.process = process;
        this.base = base;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    /**
     * Starts a node (profiles sandbox and mysql) and waits until its health is UP. Its log goes to
     * target/node-{name}.log; {@code settings} are further {@code --name=value} arguments.
     */
    public static MiniflowNode start(String name, String maxHeap, String dbUrl, String dbUser, String dbPassword,
                                     List<String> settings) throws IOException {
        return start(name, maxHeap, freePort(), dbUrl, dbUser, dbPassword, settings);
    }

    /** As {@link #start(String, String, String, String, String, List)}, on a port chosen beforehand. */
    public static MiniflowNode start(String name, String maxHeap, int port, String dbUrl, String dbUser,
                                     String dbPassword, List<String> settings) throws IOException {
        return start(name, maxHeap, port, dbUrl, dbUser, dbPassword, settings, List.of());
    }

    /** As above, with further JVM options (e.g. {@code -XX:NativeMemoryTracking=summary}). */
    public static MiniflowNode start(String name, String maxHeap, int port, String dbUrl, String dbUser,
                                     String dbPassword, List<String> settings, List<String> jvmOptions)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
            "--spring.profiles.active=sandbox,mysql",
            "--spring.datasource.url=" + dbUrl,
            "--spring.datasource.username=" + dbUser,
            "--spring.datasource.password=" + dbPassword,
            "--miniflow.deploy.local-root=target/node-deploy"));
        arguments.addAll(settings);
        return launch(name, maxHeap, jvmOptions, port, arguments, dbUrl, dbUser, dbPassword);
    }

    /**
     * The emulators alone (the documented sandbox-only command) in a JVM of their own, on an in-memory database,
     * pushing to a Miniflow that will listen on {@code miniflowPort}: Miniflow's CPU and the platforms' are then
     * measured apart. Their control API answers this machine, as the tests are.
     */
    public static MiniflowNode startEmulators(String name, String maxHeap, int miniflowPort) throws IOException {
        return startEmulators(name, maxHeap, miniflowPort, List.of());
    }

    /** As {@link #startEmulators(String, String, int)}, with further {@code --name=value} settings. */
    public static MiniflowNode startEmulators(String name, String maxHeap, int miniflowPort, List<String> settings)
            throws IOException {
        List<String> arguments = new ArrayList<>(List.of(
            "--spring.profiles.active=sandbox-only",
            "--spring.datasource.url=jdbc:h2:mem:emulators-" + name + ";DB_CLOSE_DELAY=-1",
            "--miniflow.wechat.callback-url=http://localhost:" + miniflowPort + "/wechat/callback"));
        arguments.addAll(settings);
        return launch(name, maxHeap, List.of(), freePort(), arguments, null, null, null);
    }

    /** Settings for a Miniflow node that reaches the platforms at these emulators instead of serving its own. */
    public static List<String> usingEmulatorsAt(MiniflowNode emulators) {
        String base = emulators.base;
        return List.of(
            "--miniflow.sandbox.emulators=false",
            "--miniflow.wechat.api-base-url=" + base + "/sandbox/wechat",
            "--miniflow.wechat.authorize-url=" + base + "/sandbox/wechat/authorize",
            "--miniflow.aliyun.endpoint=" + base.replaceFirst("^http://", "") + "/sandbox/aliyun",
            "--miniflow.wechatpay.base-url=" + base + "/sandbox/wechatpay",
            "--miniflow.wechatpay.sandbox-merchant-url=" + base + "/sandbox/admin/wechatpay/merchant");
    }

    private static MiniflowNode launch(String name, String maxHeap, List<String> jvmOptions, int port,
                                       List<String> arguments, String dbUrl, String dbUser, String dbPassword)
            throws IOException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", applicationClasspath(),
            "io.miniflow.MiniflowApplication", "--server.port=" + port, "--logging.level.root=WARN"));
        command.addAll(arguments);
        File log = new File("target/node-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log));
        // As the image runs it (docker/Dockerfile): memory figures of a node are those of a node as shipped.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process process = builder.start();
        MiniflowNode node = new MiniflowNode(process, "http://localhost:" + port, dbUrl, dbUser, dbPassword);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
            .until(() -> !process.isAlive() || node.isUp());
        assertThat(process.isAlive()).as("node %s is running (its log: %s)", name, log).isTrue();
        return node;
    }

    /** Sends a JSON request as the given demo user (or none) and returns the answer; an error status throws. */
    public JsonNode send(String method, String path, String body, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                + response.body());
        }
        return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    /** Cancels what an earlier run left active: one batch per template. */
    public void cancelActiveBatches() throws Exception {
        for (JsonNode b : send("GET", "/api/wechat/releases?size=200", null, "mpadmin").get("items")) {
            String status = b.get("status").asText();
            if (status.equals("RUNNING") || status.equals("PAUSED") || status.equals("HALTED")) {
                send("POST", "/api/wechat/releases/" + b.get("id").asLong() + "/cancel", null, "mpadmin");
            }
        }
    }

    /** The node's address, e.g. http://localhost:41234. */
    public String base() {
        return base;
    }

    public int port() {
        return URI.create(base).getPort();
    }

    /** CPU time the node's JVM has used so far, in seconds (-1 where the system does not tell). */
    public double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /** The first column of the first row of a query on the node's database. */
    public long queryLong(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(dbUrl, dbUser, dbPassword);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The node's resident set size in MiB (Linux /proc), or -1 where that cannot be read. */
    public long rssMiB() {
        return rssMiB(process.pid());
    }

    /** The resident set size of a process in MiB (Linux /proc), or -1 where that cannot be read. */
    public static long rssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** Asks the node's JVM for a full garbage collection (jcmd), as a memory figure should be read after one. */
    public void collectGarbage() throws IOException, InterruptedException {
        jcmd("GC.run");
    }

    /** What a diagnostic command of the node's JVM answers (jcmd), e.g. {@code VM.native_memory summary}. */
    public String jcmd(String... command) throws IOException, InterruptedException {
        String jcmd = System.getProperty("java.home") + File.separator + "bin" + File.separator + "jcmd";
        List<String> line = new ArrayList<>(List.of(jcmd, Long.toString(process.pid())));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return answer;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no chance to finish anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private boolean isUp() {
        try {
            return send("GET", "/actuator/health", null, null).path("status").asText().equals("UP");
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * The application's classpath for a child JVM: this JVM's entries (surefire may hand them over in a manifest-only
     * jar), each once, without the test classes.
     */
    private static String applicationClasspath() throws IOException {
        LinkedHashSet<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.endsWith(".jar") && entry.contains("surefire")) {
                try (JarFile jar = new JarFile(entry)) {
                    String manifestPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    if (manifestPath != null) {
                        for (String url : manifestPath.trim().split("\\s+")) {
                            entries.add(new File(URI.create(url)).getPath());
                        }
                        continue;
                    }
                }
            }
            entries.add(new File(entry).getAbsolutePath());
        }
        entries.removeIf(e -> e.contains("surefire") || e.endsWith("test-classes") || e.endsWith("test-classes/"));
        return String.join(File.pathSeparator, entries);
    }

    /** A port free now, for a node whose address others must know before it starts. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
