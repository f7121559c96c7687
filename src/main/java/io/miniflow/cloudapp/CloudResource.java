package io.miniflow.cloudapp;

import java.time.Instant;

/**
 * A resource bought for an environment; {@code weight} is an ECS instance's weight on the load balancer,
 * {@code appVersion} the package version deployed on it (null: none yet).
 */
public record CloudResource(long id, long environmentId, long buildId, ResourceKind kind, String resourceId,
                            String address, Integer weight, Instant createdAt, Instant releasedAt, String appVersion) {
}
