package io.miniflow.cloudapp.deploy;

import java.time.Duration;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How environment-deploy waits and checks (properties {@code miniflow.cloud.deploy.*}, durations ISO-8601), read by
 * the model's timers as {@code ${deploySettings.drainFor(loadBalanced)}} and so on. A server taken out of the load
 * balancer gets {@code drain} for its open requests to finish; once installed, its app is asked for
 * {@code healthPath} on its port every {@code healthPollInterval} until it answers or {@code healthTimeout} has
 * passed. Failed calls are retried with the build's cycle ({@code miniflow.cloud.build.retry-cycle}).
 */
public record DeploySettings(
    @DefaultValue("PT10S") String drain,
    @DefaultValue("PT3S") String commandPollInterval,
    @DefaultValue("PT3S") String healthPollInterval,
    @DefaultValue("PT2M") String healthTimeout,
    @DefaultValue("/") String healthPath) {

    /** A server without a load balancer in front has nothing to drain (the deploy is in place). */
    public String drainFor(boolean loadBalanced) {
        return loadBalanced ? drain : "PT0S";
    }

    Duration healthTimeoutDuration() {
        return Duration.parse(healthTimeout);
    }
}
