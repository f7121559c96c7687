package io.miniflow.cloudapp;

import java.time.Instant;

/** A cloud app of a workspace; its name is unique in Miniflow. */
public record CloudApp(long id, String workspace, String name, String description, Runtime runtime, String createdBy,
                       Instant createdAt) {
}
