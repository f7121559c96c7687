package io.miniflow.approval;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When reviewers are reminded and when an undecided application expires (properties {@code miniflow.approval.*},
 * ISO-8601 durations), read by the process's timers as {@code ${approvalTimings.reminderAfter()}}.
 */
public record ApprovalTimings(
    @DefaultValue("P1D") String reminderAfter,
    @DefaultValue("P7D") String expireAfter) {
}
