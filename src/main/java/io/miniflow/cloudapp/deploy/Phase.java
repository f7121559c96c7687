package io.miniflow.cloudapp.deploy;

/** DEPLOY installs the ordered version server by server; ROLLBACK puts the previous one back the same way. */
public enum Phase {
    DEPLOY, ROLLBACK
}
