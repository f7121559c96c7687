package io.miniflow.workspace;

/** ACTIVE members work in the workspace; BLOCKED ones can still log in but see nothing of it. */
public enum MemberStatus {
    ACTIVE, BLOCKED
}
