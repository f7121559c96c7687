package io.miniflow.notify;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code miniflow.notifications.*}: how often each node looks for due deliveries, how a failed one backs off
 * (retry-delay doubled per attempt up to max-retry-delay), how many attempts before FAILED, and how long a node's
 * claim lasts (after that, another node takes a delivery over: its node stopped mid-way).
 */
@ConfigurationProperties("miniflow.notifications")
record NotifySettings(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("PT2S") Duration pollInterval,
    @DefaultValue("PT30S") Duration retryDelay,
    @DefaultValue("PT1H") Duration maxRetryDelay,
    @DefaultValue("8") int maxAttempts,
    @DefaultValue("PT2M") Duration claimTimeout,
    @DefaultValue("50") int batchSize) {

    /** The wait after the n-th failed attempt (n from 1). */
    Duration backoff(int attempts) {
        Duration delay = retryDelay.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return delay.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : delay;
    }
}
