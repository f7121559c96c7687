package io.miniflow.cloudapp.deploy;

/**
 * A deploy order: WAITING (for its approval) → RUNNING → SUCCEEDED, FAILED (the first deploy, or a rollback that
 * failed too) or ROLLED_BACK (a server was unhealthy; the previous version runs again); REJECTED when not approved.
 */
public enum DeployStatus {
    WAITING, RUNNING, SUCCEEDED, FAILED, ROLLED_BACK, REJECTED;

    public boolean active() {
        return this == WAITING || this == RUNNING;
    }
}
