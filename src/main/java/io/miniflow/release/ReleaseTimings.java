package io.miniflow.release;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

import static io.miniflow.shared.QuickRetries.RETRY_CYCLE;

/**
 * Waits and retries of the release process (properties {@code miniflow.release.*}, ISO-8601), read by the BPMN
 * timers as {@code ${releaseTimings.grayStepPause()}} and so on, and by the {@link AuditPoller}. An audit result
 * normally arrives as WeChat's push; when none came, the platform is asked first after {@code auditPollFirst}, then
 * twice as long after each answer that the audit still runs, at most {@code auditPollMax} apart. The retry cycle
 * applies to every platform call.
 */
public record ReleaseTimings(
    @DefaultValue("PT30M") Duration auditPollFirst,
    @DefaultValue("PT6H") Duration auditPollMax,
    @DefaultValue("PT1M") String submitRetryWait,
    @DefaultValue("PT1H") String grayStepPause,
    @DefaultValue(RETRY_CYCLE) String retryCycle) {

    /** How long after its {@code polls}-th poll (0: after the submission) a waiting release is polled again. */
    public Duration auditPollDelay(int polls) {
        Duration delay = auditPollFirst;
        for (int i = 0; i < polls && delay.compareTo(auditPollMax) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(auditPollMax) < 0 ? delay : auditPollMax;
    }
}
