package io.miniflow.approval;

/** PENDING until a decision, a withdrawal or the expiry timer ends it. */
public enum ApprovalStatus {
    PENDING, APPROVED, REJECTED, WITHDRAWN, EXPIRED;

    public boolean isFinal() {
        return this != PENDING;
    }
}
