package io.miniflow.wechat;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * Keeps Miniflow's calls to WeChat under a rate: {@code miniflow.wechat.rate-limit-per-second} shared by all nodes,
 * each node taking its share ({@code miniflow.cluster.nodes}). A call that cannot get a permit within the wait
 * ({@code miniflow.wechat.rate-limit-wait}) fails as a retryable network-class error, so the engine tries it later
 * instead of a job thread blocking for long.
 */
@Component
@Profile("!sandbox-only")
class WechatRateLimit {

    private final RateLimiter limiter;
    private final int perSecond;

    WechatRateLimit(@Value("${miniflow.wechat.rate-limit-per-second:200}") int perSecondForAllNodes,
                    @Value("${miniflow.cluster.nodes:1}") int nodes,
                    @Value("${miniflow.wechat.rate-limit-wait:PT10S}") Duration wait) {
        this.perSecond = Math.max(1, perSecondForAllNodes / Math.max(1, nodes));
        this.limiter = RateLimiter.of("wechat", RateLimiterConfig.custom()
            .limitForPeriod(perSecond)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(wait)
            .build());
    }

    /** Waits for a permit; false when none came within the configured wait. */
    boolean acquire() {
        return limiter.acquirePermission();
    }

    int perSecond() {
        return perSecond;
    }
}
