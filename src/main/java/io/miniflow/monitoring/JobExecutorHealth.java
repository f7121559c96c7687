package io.miniflow.monitoring;

import java.util.Arrays;

import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * The job executor: UP while it is active and its acquisition thread is alive (acquiring), DOWN otherwise. It replaces
 * the Camunda starter's indicator of the same name, which looks at "active" only.
 */
final class JobExecutorHealth extends AbstractHealthIndicator {

    private final JobExecutor jobExecutor;

    JobExecutorHealth(JobExecutor jobExecutor) {
        super("job executor health check failed");
        this.jobExecutor = jobExecutor;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean active = jobExecutor.isActive();
        boolean acquiring = active && acquisitionThreadAlive();
        (active && acquiring ? builder.up() : builder.down())
            .withDetail("active", active)
            .withDetail("acquiring", acquiring)
            .withDetail("lockOwner", jobExecutor.getLockOwner())
            .withDetail("maxJobsPerAcquisition", jobExecutor.getMaxJobsPerAcquisition());
    }

    /** The engine names the acquisition thread after the executor; it is not otherwise reachable. */
    private boolean acquisitionThreadAlive() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        return Arrays.stream(threads, 0, n)
            .anyMatch(t -> t.isAlive() && jobExecutor.getName().equals(t.getName()));
    }
}
