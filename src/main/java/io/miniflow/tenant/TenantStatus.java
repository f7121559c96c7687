package io.miniflow.tenant;

/** A tenant's status: OPENING until its first tenant app is live, ACTIVE, or FAILED (with a reason) / CLOSED. */
public enum TenantStatus {
    OPENING, ACTIVE, FAILED, CLOSED
}
