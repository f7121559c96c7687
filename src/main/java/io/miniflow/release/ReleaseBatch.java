package io.miniflow.release;

import java.time.Instant;

/**
 * One template released to many mini programs (wechat-template-release). {@code releasingSince}: when its mini
 * programs began to be started (after the audit-quota check); {@code unfinished}: how many have not ended yet.
 */
public record ReleaseBatch(long id, String workspace, long templateId, String userVersion, String userDesc,
                           String grayPlan, boolean grayApproval, int concurrency, int failureThreshold, int inFlight, BatchStatus status,
                           String statusReason, String processInstanceId, Long retryOf, String createdBy,
                           Instant createdAt, Instant finishedAt, Instant releasingSince,
                           int unfinished) {
}
