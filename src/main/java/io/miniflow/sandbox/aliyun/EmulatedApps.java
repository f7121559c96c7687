package io.miniflow.sandbox.aliyun;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The app each emulated ECS instance runs, as Miniflow's deploy scripts leave it (the {@code # xdeploy:} header, see
 * {@link CloudAssistant}). An install really fetches the package and checks its SHA-256, so a wrong URL or checksum
 * fails as on a server; a failed install leaves the running app as it was (the script checks before it stops
 * anything). The app answers its health check once it has run {@code appStartMillis}, unless its version is marked
 * unhealthy. Stopping, rebooting or deleting the instance stops the app and starting it again does not restart it
 * (the emulated app is no system service): health fails until the next install.
 */
@Component
class EmulatedApps {

    static final Set<String> RUNTIMES = Set.of("SPRING_BOOT", "NODEJS", "PHP");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
        .withZone(ZoneOffset.UTC);

    /** The app as stored; {@code startedAt} is when its install command finished. */
    record App(String instanceId, String version, String runtime, String sha256, boolean running, Instant startedAt) {
    }

    /** What a command gives back on one instance. */
    record Outcome(int exitCode, String output) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AliyunSandboxControl control;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(FETCH_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();

    EmulatedApps(JdbcClient jdbc, Clock clock, AliyunSandboxControl control) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.control = control;
    }

    /** One RunCommand's header, to run on each of its instances; an install fetches its package once for them all. */
    Command command(XdeployHeader header, Instant finish) {
        return new Command(header, finish);
    }

    final class Command {

        private final XdeployHeader header;
        private final Instant finish;
        private Fetched fetched;

        private Command(XdeployHeader header, Instant finish) {
            this.header = header;
            this.finish = finish;
        }

        Outcome on(String instanceId) {
            return switch (header.action()) {
                case "install" -> install(instanceId);
                case "health" -> health(instanceId);
                case "stop" -> stop(instanceId);
                default -> new Outcome(2, "xdeploy: unknown action " + header.action() + " (install, health or stop)\n");
            };
        }

        private Outcome install(String instanceId) {
            String version = header.param("version");
            String sha256 = header.param("sha256");
            String url = header.param("url");
            String runtime = header.param("runtime");
            if (version == null || sha256 == null || !SHA256.matcher(sha256).matches() || url == null
                || !(url.startsWith("http://") || url.startsWith("https://")) || runtime == null || !RUNTIMES.contains(runtime)) {
                return new Outcome(2, sections("", "", "xdeploy: install needs version=<v> sha256=<64 hex> "
                    + "url=<http(s) url> runtime=<SPRING_BOOT|NODEJS|PHP>\n"));
            }
            Instant now = clock.instant();
            StringBuilder log = new StringBuilder();
            line(log, now, "fetching package " + version + " (" + sha256.substring(0, 12).toLowerCase() + ")");
            if (fetched == null) {
                fetched = fetch(url);
            }
            if (fetched.error() != null) {
                line(log, now, "fetch failed; the running app is left as it is");
                return new Outcome(fetched.exitCode(), sections(log.toString(), "", fetched.error() + "\n"));
            }
            if (!fetched.sha256().equalsIgnoreCase(sha256)) {
                line(log, now, "checksum mismatch (got " + fetched.sha256().substring(0, 12)
                    + "); the running app is left as it is");
                return new Outcome(1, sections(log.toString(), "", "/opt/miniflow/releases/" + version
                    + "/package: FAILED\nsha256sum: WARNING: 1 computed checksum did NOT match\n"));
            }
            line(log, now, "checksum OK (" + fetched.size() + " bytes)");
            Optional<App> before = find(instanceId).filter(App::running);
            line(log, now, before.map(app -> "stopping app " + app.version()).orElse("no app running"));
            line(log, now, "replacing /opt/miniflow/app with " + version);
            line(log, finish, "starting app " + version + " (" + runtime + ")");
            save(instanceId, version, runtime, sha256.toLowerCase(), now);
            return new Outcome(0, sections(log.toString(), startLine(runtime, finish), ""));
        }

        private Outcome health(String instanceId) {
            String port = header.param("port");
            if (port == null || !port.matches("\\d{1,5}")) {
                return new Outcome(2, "xdeploy: health needs port=<n> path=<p>\n");
            }
            return answers(instanceId) ? new Outcome(0, "HTTP/1.1 200 OK")
                : new Outcome(7, "curl: (7) Failed to connect to 127.0.0.1 port " + port + ": Connection refused");
        }

        private Outcome stop(String instanceId) {
            Instant now = clock.instant();
            StringBuilder log = new StringBuilder();
            Optional<App> running = find(instanceId).filter(App::running);
            line(log, now, running.map(app -> "stopping app " + app.version()).orElse("no app running"));
            instanceStopped(instanceId);
            line(log, finish, "app stopped");
            return new Outcome(0, sections(log.toString(), "", ""));
        }

        /** Running from the end of the install command on: the app starts when the script does. */
        private void save(String instanceId, String version, String runtime, String sha256, Instant now) {
            int updated = jdbc.sql("""
                    UPDATE sandbox_aliyun_app SET version = ?, runtime = ?, sha256 = ?, running = TRUE, started_at = ?,
                      updated_at = ? WHERE instance_id = ?""")
                .params(version, runtime, sha256, Timestamp.from(finish), Timestamp.from(now), instanceId).update();
            if (updated == 0) {
                jdbc.sql("""
                        INSERT INTO sandbox_aliyun_app (instance_id, version, runtime, sha256, running, started_at, updated_at)
                        VALUES (?, ?, ?, ?, TRUE, ?, ?)""")
                    .params(instanceId, version, runtime, sha256, Timestamp.from(finish), Timestamp.from(now)).update();
            }
        }
    }

    /** Whether the instance's app answers its health check now. */
    boolean answers(String instanceId) {
        return find(instanceId).map(this::answers).orElse(false);
    }

    private boolean answers(App app) {
        return app.running() && app.startedAt() != null && control.healthy(app.version())
            && !clock.instant().isBefore(app.startedAt().plusMillis(control.settings().appStartMillis()));
    }

    /** Every instance's app, for tests and demos: {@code healthy} is whether it answers its health check now. */
    List<Map<String, Object>> view() {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_app ORDER BY instance_id").query(this::row).list().stream()
            .map(app -> {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("instanceId", app.instanceId());
                v.put("version", app.version());
                v.put("running", app.running());
                v.put("healthy", answers(app));
                return v;
            }).toList();
    }

    void instanceStopped(String instanceId) {
        jdbc.sql("UPDATE sandbox_aliyun_app SET running = FALSE, updated_at = ? WHERE instance_id = ?")
            .params(Timestamp.from(clock.instant()), instanceId).update();
    }

    void instanceDeleted(String instanceId) {
        jdbc.sql("DELETE FROM sandbox_aliyun_app WHERE instance_id = ?").param(instanceId).update();
    }

    Optional<App> find(String instanceId) {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_app WHERE instance_id = ?").param(instanceId)
            .query(this::row).optional();
    }

    private App row(ResultSet rs, int n) throws SQLException {
        Timestamp started = rs.getTimestamp("started_at");
        return new App(rs.getString("instance_id"), rs.getString("version"), rs.getString("runtime"),
            rs.getString("sha256"), rs.getBoolean("running"), started == null ? null : started.toInstant());
    }

    /** The package as curl would get it: SHA-256 and size, or curl's error and exit code. */
    private record Fetched(int exitCode, String error, String sha256, long size) {

        static Fetched failed(int exitCode, String error) {
            return new Fetched(exitCode, error, null, 0);
        }
    }

    /** Streams the body through the digest: packages can be large, and nothing is kept but their checksum. */
    private Fetched fetch(String url) {
        URI uri;
        HttpRequest request;
        try {
            uri = URI.create(url);
            request = HttpRequest.newBuilder(uri).timeout(FETCH_TIMEOUT).GET().build();
        } catch (IllegalArgumentException e) {
            return Fetched.failed(3, "curl: (3) URL rejected: Malformed input to a URL function");
        }
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() / 100 != 2) {
                    return Fetched.failed(22, "curl: (22) The requested URL returned error: " + response.statusCode());
                }
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                long size = 0;
                for (int n = body.read(buffer); n != -1; n = body.read(buffer)) {
                    digest.update(buffer, 0, n);
                    size += n;
                }
                return new Fetched(0, null, HexFormat.of().formatHex(digest.digest()), size);
            }
        } catch (IOException e) {
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
            String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            return Fetched.failed(22, "curl: (22) Failed to connect to " + uri.getHost() + " port " + port + ": " + reason);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Fetched.failed(22, "curl: (22) Operation aborted");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void line(StringBuilder log, Instant at, String text) {
        log.append(STAMP.format(at)).append(" xdeploy: ").append(text).append('\n');
    }

    /** What the runtime prints when it has started (the ports are the runtimes' defaults in docs/cloud-apps.md). */
    private static String startLine(String runtime, Instant at) {
        return switch (runtime) {
            case "SPRING_BOOT" -> STAMP.format(at) + "  INFO 2817 --- [           main] io.miniflow.app.Application"
                + "              : Started Application in 3.1 seconds (process running for 3.6)\n";
            case "NODEJS" -> "[egg:master] egg started on http://127.0.0.1:7001 (3102ms)\n";
            default -> "[" + STAMP.format(at) + "] NOTICE: fpm is running, pid 2817\n"
                + "[" + STAMP.format(at) + "] NOTICE: ready to handle connections\n";
        };
    }

    private static String sections(String xdeployLog, String stdout, String stderr) {
        return "----- xdeploy.log -----\n" + xdeployLog + "----- stdout.log -----\n" + stdout
            + "----- stderr.log -----\n" + stderr;
    }
}
