package io.miniflow.cloudapp;

import java.time.Instant;

/** One build of an environment (one environment-build instance). */
public record Build(long id, long environmentId, String processInstanceId, String startedBy, Plan plan, int months,
                    String domain, Long certificateId, BuildStatus status, String failureReason, Instant startedAt,
                    Instant endedAt) {
}
