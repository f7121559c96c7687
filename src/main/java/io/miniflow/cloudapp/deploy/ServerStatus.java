package io.miniflow.cloudapp.deploy;

/** One server in a deploy: PENDING → DRAINED → INSTALLING → CHECKING → DONE, or FAILED. */
public enum ServerStatus {
    PENDING, DRAINED, INSTALLING, CHECKING, DONE, FAILED
}
