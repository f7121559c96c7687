package io.miniflow.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.miniflow.MiniflowNode;

/**
 * A MariaDB server of the harness's own, from the OS packages (.ci/run installs them), in a temporary directory: the
 * database outage scenario stops and starts it, which no test may do to a server others use. Same settings as the
 * one .ci/run starts (utf8mb4_bin, READ-COMMITTED).
 */
final class MariaDbServer implements AutoCloseable {

    static final String USER = "miniflow";
    static final String PASSWORD = "miniflow-reliability";

    private final Path dir;
    private final int port;
    private Process server;

    private MariaDbServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Whether this machine has the server's programs (mariadbd, mariadb-install-db, mariadb). */
    static boolean installed() {
        return List.of("mariadbd", "mariadb-install-db", "mariadb").stream().allMatch(MariaDbServer::onPath);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program));
    }

    /** A fresh server with an empty database {@code miniflow} and its user. */
    static MariaDbServer start() throws IOException, InterruptedException {
        MariaDbServer db = new MariaDbServer(Files.createTempDirectory("miniflow-reliability-db"),
            MiniflowNode.freePort());
        run(List.of("mariadb-install-db", "--no-defaults", "--user=" + System.getProperty("user.name"),
            "--datadir=" + db.dir.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
        db.startAgain();
        run(List.of("mariadb", "--socket=" + db.dir.resolve("mysqld.sock"), "-uroot", "-e",
            "CREATE DATABASE miniflow CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
                + "CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "';"
                + "CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';"
                + "GRANT ALL ON miniflow.* TO '" + USER + "'@'127.0.0.1';"
                + "GRANT ALL ON miniflow.* TO '" + USER + "'@'localhost';"));
        return db;
    }

    String url() {
        return "jdbc:mysql://127.0.0.1:" + port
            + "/miniflow?nullDatabaseMeansCurrent=true&useSSL=false&allowPublicKeyRetrieval=true";
    }

    /** Starts the server on its data (again, after {@link #stop()}) and waits until it answers. */
    void startAgain() throws IOException, InterruptedException {
        server = new ProcessBuilder(List.of("mariadbd", "--no-defaults", "--user=" + System.getProperty("user.name"),
            "--datadir=" + dir.resolve("data"), "--socket=" + dir.resolve("mysqld.sock"),
            "--pid-file=" + dir.resolve("mariadbd.pid"), "--port=" + port, "--bind-address=127.0.0.1",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin",
            "--transaction-isolation=READ-COMMITTED", "--max-connections=300"))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mariadbd.log").toFile()))
            .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!answers()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("MariaDB did not start; its log: " + dir.resolve("mariadbd.log"));
            }
            Thread.sleep(250);
        }
    }

    /** A clean shutdown (SIGTERM), waited for: every connection is cut. */
    void stop() throws InterruptedException {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
    }

    private boolean answers() {
        try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port
                + "/?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=1000", "root", "")) {
            return c.isValid(1);
        } catch (SQLException e) {
            // root may only come through the socket: the client program then tells
            try {
                Process ping = new ProcessBuilder("mariadb-admin", "--socket=" + dir.resolve("mysqld.sock"), "-uroot",
                    "ping").redirectErrorStream(true).start();
                return ping.waitFor(5, TimeUnit.SECONDS) && ping.exitValue() == 0;
            } catch (IOException | InterruptedException other) {
                return false;
            }
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    /** Stops the server and deletes its data: the harness's databases do not pile up in the temporary directory. */
    @Override
    public void close() throws InterruptedException, IOException {
        if (server != null && server.isAlive()) {
            stop();
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
