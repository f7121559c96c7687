package io.miniflow.openapi;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Requests per second and appid ({@code miniflow.openapi.rate-limit-per-second}, default 20), with resilience4j's
 * RateLimiter: a request over the limit is refused at once, never queued. Counted per node (in memory); with n nodes
 * behind a balancer a key gets up to n times the limit. Only correctly signed requests count, so a stranger sending
 * garbage under a key's appid cannot use up its owner's rate.
 */
@Component
class OpenApiRateLimit {

    /** The window the limit refills in; a refused client may try again after it (Retry-After, whole seconds). */
    static final Duration PERIOD = Duration.ofSeconds(1);

    private final RateLimiterRegistry registry;

    OpenApiRateLimit(@Value("${miniflow.openapi.rate-limit-per-second:20}") int perSecond) {
        if (perSecond < 1) {
            throw new IllegalStateException("miniflow.openapi.rate-limit-per-second must be at least 1");
        }
        this.registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(PERIOD)
            .timeoutDuration(Duration.ZERO)
            .build());
    }

    /** True when the request may go on; one limiter per appid, made on its first correctly signed request. */
    boolean tryAcquire(String appId) {
        RateLimiter limiter = registry.rateLimiter(appId);
        return limiter.acquirePermission();
    }
}
