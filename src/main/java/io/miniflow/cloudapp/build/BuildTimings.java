package io.miniflow.cloudapp.build;

import org.springframework.boot.context.properties.bind.DefaultValue;

import static io.miniflow.shared.QuickRetries.RETRY_CYCLE;

/**
 * Waits and retries of environment-build (properties {@code miniflow.cloud.build.*}, ISO-8601), read by the model's
 * timers as {@code ${buildTimings.paymentPollInterval()}} and so on. An unpaid order is closed
 * {@code paymentTimeout} after it was created (seed 001: 30 minutes).
 */
public record BuildTimings(
    @DefaultValue("PT1M") String paymentPollInterval,
    @DefaultValue("PT30M") String paymentTimeout,
    @DefaultValue("PT10S") String instancePollInterval,
    @DefaultValue("PT5S") String commandPollInterval,
    @DefaultValue(RETRY_CYCLE) String retryCycle) {
}
