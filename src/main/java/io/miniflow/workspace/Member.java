package io.miniflow.workspace;

import java.time.Instant;

/** A person's place in one workspace: their role and whether they are blocked. */
public record Member(long workspaceId, String workspace, String username, String email, String role,
                     MemberStatus status, Instant joinedAt) {

    public boolean isActive() {
        return status == MemberStatus.ACTIVE;
    }
}
