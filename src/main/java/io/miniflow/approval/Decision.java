package io.miniflow.approval;

/** What one reviewer decides. One rejection rejects; approvals add up to the policy's count. */
public enum Decision {
    APPROVE, REJECT
}
