package io.miniflow.cloudapp.deploy;

import java.time.Instant;

/** A line of an environment's deploy history. */
public record DeploySummary(String deployId, String version, String previousVersion, DeployStatus status,
                            String reason, String requestedBy, Instant requestedAt, Instant startedAt,
                            Instant endedAt) {

    static DeploySummary of(Deploy d) {
        return new DeploySummary(d.deployNo(), d.version(), d.previousVersion(), d.status(), d.reason(),
            d.requestedBy(), d.requestedAt(), d.startedAt(), d.endedAt());
    }
}
