package io.miniflow.approval;

import java.time.Instant;

/** One application and where it stands. {@code objectName}/{@code objectVersion}: the mini program or app, and its version. */
public record Approval(long id, String workspace, ApprovalCategory category, String title, String objectName,
                       String objectVersion, String environment, String applicant, int requiredApprovals,
                       ApprovalStatus status, String outcomeReason, String processInstanceId, Instant createdAt,
                       Instant finishedAt) {
}
