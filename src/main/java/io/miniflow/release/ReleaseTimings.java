package io.miniflow.release;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Waits and retries of the release process (properties {@code miniflow.release.*}, ISO-8601), read by the BPMN
 * timers as {@code ${releaseTimings.auditPollInterval()}} and so on. The poll interval is the fallback for lost
 * audit pushes; the retry cycle applies to every platform call.
 */
public record ReleaseTimings(
    @DefaultValue("PT5M") String auditPollInterval,
    @DefaultValue("PT1M") String submitRetryWait,
    @DefaultValue("PT1H") String grayStepPause,
    @DefaultValue("R5/PT1M") String retryCycle) {
}
