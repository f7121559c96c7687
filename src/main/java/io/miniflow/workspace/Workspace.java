package io.miniflow.workspace;

import java.time.Instant;

/** A tenant workspace: the unit that owns members, apps and releases. Its name is fixed and used in URLs. */
public record Workspace(long id, String name, String businessScope, String address, String representativeName,
                        String representativeEmail, String status, Instant createdAt, String createdBy) {
}
