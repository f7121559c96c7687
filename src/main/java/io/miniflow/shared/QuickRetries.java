package io.miniflow.shared;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Tries an outside call again at once, a few times within seconds, when the platform answered that it failed in
 * passing and did nothing: busy, a 5xx, or a frequency limit. Waits grow and are spread at random (backoff with
 * jitter, resilience4j), so many callers failing together do not return together; a frequency limit waits longer,
 * which slows the caller down. Only when the quick attempts are used up does the failure reach the engine, whose
 * retry cycle (minutes) is for outages. A call that may have taken effect (no answer, a timeout) is never retried
 * here: the engine's retry runs the step again, which checks the platform first.
 * <p>
 * Settings {@code miniflow.platforms.quick-retry.*}; every retry is counted as {@value #RETRIES} (platform, api,
 * code). The quick attempts run inside the job: they must end well within the job's lock time (docs/operations.md).
 */
@Component
@EnableConfigurationProperties(QuickRetries.Settings.class)
public class QuickRetries {

    public static final String RETRIES = "miniflow.platform.retries";

    /**
     * The engine's retry cycle of a step that calls a platform, for a failure the quick retries did not overcome (or
     * may not try): likely an outage, so the waits grow from seconds to minutes, about 18 minutes in all, before an
     * incident asks an operator. Properties {@code miniflow.*.retry-cycle} change it per process family.
     */
    public static final String RETRY_CYCLE = "PT10S,PT1M,PT2M,PT5M,PT10M";

    /** How a failure may be tried again at once. */
    public enum Kind {
        /** Not here: the failure goes to the caller (the engine's retry cycle or an incident). */
        NONE,
        /** Failed in passing (busy, 5xx): again after a short, growing, random wait. */
        TRANSIENT,
        /** A frequency limit: again after a longer wait, so the caller slows down. */
        SLOW_DOWN
    }

    /**
     * {@code attempts}: calls in all, the first included; {@code firstWait}: before the second call (a frequency
     * limit waits {@code slowDownWait}); each further wait is {@code multiplier} times longer, each spread by
     * ±{@code jitter} of itself.
     */
    @ConfigurationProperties("miniflow.platforms.quick-retry")
    public record Settings(@DefaultValue("4") int attempts,
                           @DefaultValue("PT0.2S") Duration firstWait,
                           @DefaultValue("PT1S") Duration slowDownWait,
                           @DefaultValue("2") double multiplier,
                           @DefaultValue("0.5") double jitter) {
    }

    private final Settings settings;
    private final MeterRegistry registry;
    private final IntervalFunction transientWaits;
    private final IntervalFunction slowDownWaits;

    public QuickRetries(Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.transientWaits = IntervalFunction.ofExponentialRandomBackoff(settings.firstWait(),
            settings.multiplier(), settings.jitter());
        this.slowDownWaits = IntervalFunction.ofExponentialRandomBackoff(settings.slowDownWait(),
            settings.multiplier(), settings.jitter());
    }

    /**
     * Quick retries for one platform: {@code kind} says which of its failures are worth one, {@code codeOf} names a
     * failure in the retry counter.
     */
    public Platform forPlatform(String platform, Function<RuntimeException, Kind> kind,
                                Function<RuntimeException, String> codeOf) {
        return new Platform(platform, kind, codeOf);
    }

    /** One platform's quick retries, one resilience4j {@link Retry} per API (made at its first call). */
    public final class Platform {

        private final String platform;
        private final Function<RuntimeException, String> codeOf;
        private final RetryConfig config;
        private final Map<String, Retry> perApi = new ConcurrentHashMap<>();

        private Platform(String platform, Function<RuntimeException, Kind> kind,
                         Function<RuntimeException, String> codeOf) {
            this.platform = platform;
            this.codeOf = codeOf;
            IntervalBiFunction<Object> waits = (attempt, outcome) -> outcome.isLeft()
                && outcome.getLeft() instanceof RuntimeException e && kind.apply(e) == Kind.SLOW_DOWN
                ? slowDownWaits.apply(attempt) : transientWaits.apply(attempt);
            this.config = RetryConfig.custom()
                .maxAttempts(Math.max(1, settings.attempts()))
                .intervalBiFunction(waits)
                .retryOnException(e -> e instanceof RuntimeException r && kind.apply(r) != Kind.NONE)
                .build();
        }

        /** Runs the call, again while its failure is worth a quick retry and attempts are left; the last failure goes on. */
        public <T> T call(String api, Supplier<T> call) {
            return Retry.decorateSupplier(perApi.computeIfAbsent(api, this::retry), call).get();
        }

        private Retry retry(String api) {
            Retry retry = Retry.of(platform + ":" + api, config);
            retry.getEventPublisher().onRetry(event -> counter(platform, api,
                event.getLastThrowable() instanceof RuntimeException e ? codeOf.apply(e) : "unknown").increment());
            return retry;
        }
    }

    private Counter counter(String platform, String api, String code) {
        return Counter.builder(RETRIES).description("Quick retries of outside calls that failed in passing")
            .tag("platform", platform).tag("api", api).tag("code", code == null ? "unknown" : code)
            .register(registry);
    }
}
