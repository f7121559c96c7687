package io.miniflow.cloudapp.deploy;

import java.time.Instant;
import java.util.List;

/**
 * A deploy order as the status URL answers it: its state, the environment's servers now (weight on the load balancer,
 * version installed), and what the order did on each server with the logs of each install.
 */
public record DeployView(String deployId, DeployStatus status, String version, String previousVersion, String reason,
                         String requestedBy, Instant requestedAt, Instant startedAt, Instant endedAt,
                         String processInstanceId, Long approvalId, List<Server> servers, List<Log> logs) {

    public record Server(String instanceId, Integer weight, String version) {
    }

    public record Log(String instanceId, Phase phase, String version, ServerStatus status, Integer weight,
                      String message, String xdeploy, String stdout, String stderr, Instant startedAt,
                      Instant endedAt) {
    }

    static DeployView of(Deploy d, List<Server> servers, List<DeployServer> steps) {
        return new DeployView(d.deployNo(), d.status(), d.version(), d.previousVersion(), d.reason(), d.requestedBy(),
            d.requestedAt(), d.startedAt(), d.endedAt(), d.processInstanceId(), d.approvalId(), servers,
            steps.stream().map(s -> new Log(s.instanceId(), s.phase(), s.version(), s.status(), s.weight(),
                s.message(), s.xdeployLog(), s.stdoutLog(), s.stderrLog(), s.startedAt(), s.endedAt())).toList());
    }
}
