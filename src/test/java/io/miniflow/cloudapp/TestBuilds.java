package io.miniflow.cloudapp;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;

/** What tests do with builds they started and nobody pays. */
final class TestBuilds {

    private TestBuilds() {
    }

    /**
     * Ends the build's process, so it does not poll its order under later tests' database snapshots. The job
     * executor may be running its first step right now: the deletion is tried again until it wins.
     */
    static void end(RuntimeService runtime, String processInstanceId) {
        await().atMost(Duration.ofSeconds(30)).ignoreException(OptimisticLockingException.class).until(() -> {
            runtime.deleteProcessInstanceIfExists(processInstanceId, "test done", false, true, false, false);
            return true;
        });
    }
}
