package io.miniflow.cloudapp.build;

import java.time.Duration;
import java.util.Date;

import io.miniflow.cloudapp.BuildTicket;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.cloudapp.StepStatus;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * What the steps share (bean {@code buildSteps}): the build of an instance, the step log, and the payment deadline
 * the model's timer reads. Public because the model calls a method on it.
 */
@Component("buildSteps")
public class BuildSteps {

    private final EnvironmentBuilds builds;
    private final BuildTimings timings;

    BuildSteps(EnvironmentBuilds builds, BuildTimings timings) {
        this.builds = builds;
        this.timings = timings;
    }

    /**
     * The deadline of the order ({@code ${buildSteps.payBy(execution)}}): its creation plus the payment timeout. Fixed
     * by the order, so waiting again after a query keeps the same deadline.
     */
    public Date payBy(DelegateExecution execution) {
        BuildTicket ticket = ticket(execution);
        return Date.from(builds.order(ticket.outTradeNo()).orElseThrow().createdAt()
            .plus(Duration.parse(timings.paymentTimeout())));
    }

    BuildTicket ticket(DelegateExecution execution) {
        return builds.ticket(BuildVariables.BUILD_ID.from(execution));
    }

    void done(BuildTicket ticket, String step, String message) {
        builds.step(ticket.buildId(), step, StepStatus.DONE, message);
    }

    void skipped(BuildTicket ticket, String step, String message) {
        builds.step(ticket.buildId(), step, StepStatus.SKIPPED, message);
    }

    EnvironmentBuilds builds() {
        return builds;
    }
}
