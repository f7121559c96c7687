package io.miniflow.app;

import org.springframework.boot.context.properties.bind.DefaultValue;

/** Retries of the deploy step (property {@code miniflow.publish.deploy-retry-cycle}, Camunda's R/PT syntax). */
public record PublishTimings(@DefaultValue("R3/PT30S") String deployRetryCycle) {
}
