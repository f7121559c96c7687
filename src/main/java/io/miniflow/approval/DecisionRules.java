package io.miniflow.approval;

import java.util.List;
import java.util.Optional;

import org.springframework.util.StringUtils;

/**
 * The rules a decision must pass, in one place, checked by the engine's task listener (every path: console,
 * Tasklist, /engine-rest, /api) and before that by the API for a friendlier answer. Each refusal is a message key of
 * i18n/approval.
 */
final class DecisionRules {

    static final int COMMENT_MAX = 2000;

    private DecisionRules() {
    }

    static Optional<Refusal> check(Approval approval, List<ReviewerDecision> earlier, String user, boolean reviewer,
                                   Decision decision, String comment) {
        if (approval.status().isFinal()) {
            return Optional.of(new Refusal(Kind.STATE, "approval.notPending"));
        }
        if (!StringUtils.hasText(user)) {
            return Optional.of(new Refusal(Kind.FORBIDDEN, "approval.noUser"));
        }
        if (user.equals(approval.applicant())) {
            return Optional.of(new Refusal(Kind.FORBIDDEN, "approval.ownApplication"));
        }
        if (!reviewer) {
            return Optional.of(new Refusal(Kind.FORBIDDEN, "approval.notReviewer"));
        }
        if (earlier.stream().anyMatch(d -> d.decidedBy().equals(user))) {
            return Optional.of(new Refusal(Kind.FORBIDDEN, "approval.alreadyDecided"));
        }
        if (decision == null) {
            return Optional.of(new Refusal(Kind.INVALID, "approval.decisionMissing"));
        }
        if (decision == Decision.REJECT && !StringUtils.hasText(comment)) {
            return Optional.of(new Refusal(Kind.INVALID, "approval.commentRequired"));
        }
        if (comment != null && comment.length() > COMMENT_MAX) {
            return Optional.of(new Refusal(Kind.INVALID, "approval.commentTooLong"));
        }
        return Optional.empty();
    }

    /**
     * Where an application stands after these decisions: REJECTED after one rejection, APPROVED once enough distinct
     * reviewers approved, null while approvals are missing.
     */
    static ApprovalStatus outcome(Approval approval, List<ReviewerDecision> decisions) {
        if (decisions.stream().anyMatch(d -> d.decision() == Decision.REJECT)) {
            return ApprovalStatus.REJECTED;
        }
        long approvers = decisions.stream().filter(d -> d.decision() == Decision.APPROVE)
            .map(ReviewerDecision::decidedBy).filter(by -> !by.equals(approval.applicant())).distinct().count();
        return approvers >= approval.requiredApprovals() ? ApprovalStatus.APPROVED : null;
    }

    /** Parses a submitted decision; null when missing or not one of APPROVE / REJECT. */
    static Decision parse(Object raw) {
        if (raw == null) {
            return null;
        }
        try {
            return Decision.valueOf(raw.toString().trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    enum Kind { FORBIDDEN, INVALID, STATE }

    record Refusal(Kind kind, String messageKey) {
    }
}
