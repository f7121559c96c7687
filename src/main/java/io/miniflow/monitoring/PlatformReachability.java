package io.miniflow.monitoring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Whether one outside platform answers at its configured base URL: a GET with a short timeout, where any HTTP answer
 * (even 404) means reachable (UP) and no answer UNKNOWN with {@code reachable: false}. Not DOWN: an outage of WeChat or
 * Aliyun is not Miniflow's, and its steps wait and retry it; restarting Miniflow (what a DOWN health invites a
 * container platform to do) would not bring the platform back. The result is kept for {@code cacheFor}, so health checks do
 * not hammer the platform; the URL is read at each check (the sandbox's names the port the server got).
 */
final class PlatformReachability implements HealthIndicator {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private record Checked(Health health, Instant at) {
    }

    private final Supplier<String> baseUrl;
    private final Duration cacheFor;
    private final Clock clock;
    private final HttpClient http;
    private Checked last;

    PlatformReachability(Supplier<String> baseUrl, Duration cacheFor, Clock clock) {
        this.baseUrl = baseUrl;
        this.cacheFor = cacheFor;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.at().plus(cacheFor))) {
            last = new Checked(check(now), now);
        }
        return last.health();
    }

    private Health check(Instant now) {
        String url = baseUrl.get();
        if (url == null || url.isBlank()) {
            return Health.unknown().withDetail("reason", "no base URL configured").build();
        }
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET()
                .build(), HttpResponse.BodyHandlers.discarding());
            return Health.up().withDetail("url", url).withDetail("reachable", true)
                .withDetail("httpStatus", response.statusCode())
                .withDetail("millis", Duration.ofNanos(System.nanoTime() - start).toMillis())
                .withDetail("checkedAt", now.toString()).build();
        } catch (IOException | IllegalArgumentException e) {
            return Health.unknown().withDetail("url", url).withDetail("reachable", false)
                .withDetail("error", e.getClass().getSimpleName())
                .withDetail("checkedAt", now.toString()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("url", url).withDetail("error", "interrupted").build();
        }
    }

    /** The base URL of an Aliyun endpoint setting, which may lack a scheme (as AliyunClientFactory reads it). */
    static String aliyunUrl(String endpoint, String protocol) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        String host = endpoint.replaceFirst("^https?://", "");
        String scheme;
        if (protocol != null && !protocol.isBlank()) {
            scheme = protocol.equalsIgnoreCase("http") ? "http" : "https";
        } else if (endpoint.startsWith("http://") || endpoint.startsWith("https://")) {
            scheme = endpoint.substring(0, endpoint.indexOf(':'));
        } else {
            scheme = host.startsWith("localhost") || host.startsWith("127.0.0.1") ? "http" : "https";
        }
        return scheme + "://" + (host.endsWith("/") ? host : host + "/");
    }
}
