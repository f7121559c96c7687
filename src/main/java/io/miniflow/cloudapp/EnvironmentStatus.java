package io.miniflow.cloudapp;

/** NOT_BUILT → BUILDING → READY, or BUILD_FAILED; RELEASING → RELEASED when its resources are given back. */
public enum EnvironmentStatus {
    NOT_BUILT, BUILDING, READY, BUILD_FAILED, RELEASING, RELEASED;

    /** Nothing is bought or running: the app may be deleted, and a new build may start from NOT_BUILT. */
    public boolean holdsNothing() {
        return this == NOT_BUILT || this == RELEASED;
    }
}
