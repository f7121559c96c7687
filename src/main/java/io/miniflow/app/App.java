package io.miniflow.app;

import java.time.Instant;

/** A mini-program app of a workspace: appCode is what SaaS platforms integrate with. */
public record App(long id, String workspace, String appCode, String name, String description, String engineVersion,
                  Instant createdAt, String createdBy) {
}
