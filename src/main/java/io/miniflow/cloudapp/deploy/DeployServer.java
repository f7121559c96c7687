package io.miniflow.cloudapp.deploy;

import java.time.Instant;

/** What a deploy does on one server in one phase, with the logs of its install (mf_cloud_deploy_server). */
public record DeployServer(long id, long deployId, Phase phase, int position, String instanceId, String version,
                           ServerStatus status, Integer weight, String invocationId, String healthInvocationId,
                           int healthChecks, Instant healthCheckedAt, Instant healthDeadline, String message,
                           String xdeployLog, String stdoutLog, String stderrLog, Instant startedAt, Instant endedAt) {
}
