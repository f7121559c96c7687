package io.miniflow.cloudapp.release;

import static io.miniflow.cloudapp.release.EnvironmentReleaseVariables.*;

import io.miniflow.approval.ReviewCall;
import io.miniflow.cloudapp.BuildTicket;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.cloudapp.EnvironmentStatus;
import io.miniflow.cloudapp.ReleaseStarter;
import io.miniflow.shared.ProtectedVariables;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/** Starts environment-release for an environment the service has just moved to RELEASING (in its transaction). */
@Component
class ProcessEnvironmentReleaseStarter implements ReleaseStarter {

    private final EnvironmentBuilds builds;
    private final RuntimeService runtime;

    ProcessEnvironmentReleaseStarter(EnvironmentBuilds builds, RuntimeService runtime) {
        this.builds = builds;
        this.runtime = runtime;
    }

    @Override
    public String start(long environmentId, long buildId, String requestedBy, int requiredApprovals,
                        EnvironmentStatus returnTo) {
        BuildTicket t = builds.ticket(buildId);
        return ProtectedVariables.asMiniflow(() -> runtime.createProcessInstanceByKey(PROCESS_KEY)
            .businessKey(t.app() + "/" + t.env().code() + "/release")
            .setVariables(Variables.createVariables().putValue(WORKSPACE.name(), t.workspace())
                .putValue(ENVIRONMENT_ID.name(), environmentId).putValue(BUILD_ID.name(), buildId)
                .putValue(CLOUD_APP.name(), t.app()).putValue(ENV.name(), t.env().code())
                .putValue(REQUESTED_BY.name(), requestedBy).putValue(ReviewCall.REQUIRED_APPROVALS.name(), requiredApprovals)
                .putValue(ReviewCall.TITLE.name(), "Release " + t.app() + " " + t.env().code())
                .putValue(RETURN_TO.name(), returnTo.name()))
            .execute().getId());
    }
}
