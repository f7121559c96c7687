package io.miniflow.cloudapp;

import java.time.Instant;

/**
 * The test or prod environment of a cloud app: its status, plan (once built), domain and current certificate, and the
 * approvals its deploys and releases need (0: none).
 */
public record CloudEnvironment(long id, long appId, EnvName env, EnvironmentStatus status, Plan plan, String domain,
                               Long certificateId, Long buildId, Instant updatedAt, int requiredApprovals) {
}
