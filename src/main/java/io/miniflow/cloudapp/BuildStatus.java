package io.miniflow.cloudapp;

/** A build RUNNING until the environment is READY, the build FAILED for good, or it was CLOSED unpaid. */
public enum BuildStatus {
    RUNNING, READY, FAILED, CLOSED
}
