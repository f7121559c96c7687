package io.miniflow.cloudapp;

import java.time.Instant;

/** A line of a build's history. */
public record BuildStep(long id, long buildId, String step, StepStatus status, String message, Instant occurredAt) {
}
