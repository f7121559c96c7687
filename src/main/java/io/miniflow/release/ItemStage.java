package io.miniflow.release;

import java.util.Set;

/** Where one mini program of a release batch stands; the batch page counts them. */
public enum ItemStage {
    /** Created with the batch, not started yet: waits for a free slot (the batch's concurrency, a pause or the stop rule). */
    QUEUED,
    STARTED,
    COMMITTED,
    AUDITING,
    /** Audit rejected: waits for a mini-program admin to resubmit or abandon. */
    REJECTED,
    /** The platform's audit quota is used up: waits for someone to resume it. */
    QUOTA_WAIT,
    APPROVED,
    GRAY,
    RELEASED,
    FAILED,
    ROLLING_BACK,
    ROLLED_BACK,
    CANCELLED;

    /** Stages that count against the batch's failure threshold. */
    public static final Set<ItemStage> FAILURES = Set.of(FAILED, REJECTED);

    public boolean isFinal() {
        return this == RELEASED || this == FAILED || this == ROLLED_BACK || this == CANCELLED;
    }
}
