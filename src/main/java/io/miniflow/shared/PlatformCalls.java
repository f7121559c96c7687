package io.miniflow.shared;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * Times every call to an outside platform as {@value #CALLS} (platform, api, outcome, code) with a latency histogram,
 * and the waits for a platform's rate limit as {@value #RATE_LIMIT_WAITS}. Each platform client calls it once, at
 * the one place it sends requests; {@code code} is the platform's error code (or the HTTP status), "none" on success.
 */
@Component
public class PlatformCalls {

    public static final String CALLS = "miniflow.platform.calls";
    public static final String RATE_LIMIT_WAITS = "miniflow.platform.rate.limit.waits";
    public static final String SUCCESS = "success";
    public static final String ERROR = "error";
    public static final String NO_CODE = "none";

    private final MeterRegistry registry;

    public PlatformCalls(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Runs the call and records it: success, or error with the code {@code codeOf} reads from what it threw (the
     * exception goes on unchanged).
     */
    public <T> T record(String platform, String api, Supplier<T> call, Function<RuntimeException, String> codeOf) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            timer(platform, api, SUCCESS, NO_CODE).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException e) {
            String code = codeOf.apply(e);
            timer(platform, api, ERROR, code == null || code.isBlank() ? "unknown" : code)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        }
    }

    /** Records a wait for a rate-limit permit; {@code acquired} false when the wait ended without one. */
    public void rateLimitWait(String platform, Duration waited, boolean acquired) {
        Timer.builder(RATE_LIMIT_WAITS).description("Waits for a platform's rate-limit permit")
            .tag("platform", platform).tag("outcome", acquired ? "acquired" : "refused")
            .register(registry).record(waited);
    }

    private Timer timer(String platform, String api, String outcome, String code) {
        return Timer.builder(CALLS).description("Calls to outside platforms")
            .tag("platform", platform).tag("api", api).tag("outcome", outcome).tag("code", code)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    }
}
