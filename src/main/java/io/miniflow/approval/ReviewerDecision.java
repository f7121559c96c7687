package io.miniflow.approval;

import java.time.Instant;

/** One reviewer's decision on an application, as stored in mf_approval_decision. */
public record ReviewerDecision(String decidedBy, Decision decision, String comment, Instant decidedAt) {
}
