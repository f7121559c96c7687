package io.miniflow.cloudapp.build;

import java.util.List;

import io.miniflow.cloudapp.BuildProcesses;
import io.miniflow.shared.ProtectedVariables;

import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.stereotype.Component;

/**
 * {@link BuildProcesses} on the engine: the give-up message is correlated to the one instance, as Miniflow (people
 * may not send it through the engine's REST API); the model's interrupting event sub-process then releases what was
 * bought and refunds the order.
 */
@Component
class ProcessBuildGiveUp implements BuildProcesses {

    private final RuntimeService runtime;

    ProcessBuildGiveUp(RuntimeService runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean running(String processInstanceId) {
        return runtime.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0;
    }

    @Override
    public List<BuildIncident> incidents(String processInstanceId) {
        return runtime.createIncidentQuery().processInstanceId(processInstanceId).orderByIncidentTimestamp().asc()
            .list().stream().map(ProcessBuildGiveUp::incident).toList();
    }

    @Override
    public boolean giveUp(String processInstanceId) {
        try {
            ProtectedVariables.asMiniflow(() -> runtime.createMessageCorrelation(BuildVariables.MESSAGE_GIVE_UP)
                .processInstanceId(processInstanceId).correlateWithResult());
            return true;
        } catch (MismatchingMessageCorrelationException | OptimisticLockingException notWaiting) {
            // The sub-process interrupts the build, so its subscription is gone once a give-up has arrived.
            return false;
        }
    }

    private static BuildIncident incident(Incident i) {
        return new BuildIncident(i.getActivityId(), i.getIncidentMessage(),
            i.getIncidentTimestamp() == null ? null : i.getIncidentTimestamp().toInstant());
    }
}
