package io.miniflow.app;

import java.time.Instant;

/** One line of a version's publish log, shown live on the version's page. */
public record PublishLogLine(long id, Instant loggedAt, String level, String message) {
}
