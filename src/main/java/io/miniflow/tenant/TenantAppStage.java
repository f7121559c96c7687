package io.miniflow.tenant;

/**
 * Where a tenant app stands in {@code tenant-provisioning}: CREATED → WAITING_AUTHORIZATION → BOUND → RELEASING →
 * LIVE, or FAILED (the reason in its error code; an operator task waits when it failed after binding) / CLOSED.
 */
public enum TenantAppStage {
    CREATED, WAITING_AUTHORIZATION, BOUND, RELEASING, LIVE, FAILED, CLOSED
}
