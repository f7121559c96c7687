package io.miniflow.release;

import java.time.Instant;

/** One template released to many mini programs (wechat-template-release). */
public record ReleaseBatch(long id, String workspace, long templateId, String userVersion, String userDesc,
                           String grayPlan, boolean grayApproval, int concurrency, int failureThreshold, int inFlight, BatchStatus status,
                           String statusReason, String processInstanceId, Long retryOf, String createdBy,
                           Instant createdAt, Instant finishedAt) {
}
