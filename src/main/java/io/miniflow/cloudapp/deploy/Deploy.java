package io.miniflow.cloudapp.deploy;

import java.time.Instant;

/** A deploy order of a package to an environment (mf_cloud_deploy). */
public record Deploy(long id, String deployNo, long environmentId, long packageId, String version,
                     String previousVersion, DeployStatus status, String reason, String requestedBy,
                     String processInstanceId, Long approvalId, Instant requestedAt, Instant startedAt,
                     Instant endedAt) {
}
