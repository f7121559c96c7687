package io.miniflow.tenant;

import org.springframework.boot.context.properties.bind.DefaultValue;

import static io.miniflow.shared.QuickRetries.RETRY_CYCLE;

/**
 * Waits of tenant-provisioning (properties {@code miniflow.tenants.*}, ISO-8601), read by the BPMN timers as
 * {@code ${tenantTimings.authorizationReminder()}} and so on. A webhook is tried {@code webhookAttempts} times,
 * {@code webhookRetryInterval} apart, before an operator is asked.
 */
public record TenantTimings(
    @DefaultValue("P3D") String authorizationReminder,
    @DefaultValue("P14D") String authorizationExpiry,
    @DefaultValue("5") int webhookAttempts,
    @DefaultValue("PT1M") String webhookRetryInterval,
    @DefaultValue(RETRY_CYCLE) String retryCycle) {

    /** The engine retries a failing webhook at least as often as the delivery counts attempts. */
    public String webhookRetryCycle() {
        return "R" + (webhookAttempts + 1) + "/" + webhookRetryInterval;
    }
}
