package io.miniflow.cloudapp.deploy;

import static io.miniflow.cloudapp.deploy.DeployVariables.CLOUD_APP;
import static io.miniflow.cloudapp.deploy.DeployVariables.ENV;
import static io.miniflow.cloudapp.deploy.DeployVariables.WORKSPACE;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;

/** Announces how a deploy order ended (environment.deployed / rolled_back / deploy_failed), from the step that ends it. */
@Component
class DeployEvents {

    private final DeployRepository deploys;
    private final Events events;

    DeployEvents(DeployRepository deploys, Events events) {
        this.deploys = deploys;
        this.events = events;
    }

    /** The order as it was just recorded (its status and reason), in the step's transaction. */
    void ended(DelegateExecution execution, long deployId, EventType type) {
        Deploy deploy = deploys.find(deployId).orElseThrow();
        String app = CLOUD_APP.from(execution);
        String env = ENV.from(execution);
        events.publish(WORKSPACE.from(execution), type, app + " " + env + " " + deploy.version(), Events.data(
            "cloudApp", app, "env", env, "deployNo", deploy.deployNo(), "version", deploy.version(),
            "previousVersion", deploy.previousVersion(), "status", deploy.status().name(), "reason", deploy.reason(),
            "requestedBy", deploy.requestedBy()), "/environments/apps/" + app);
    }
}
