package io.miniflow.cloudapp.build;

import static io.miniflow.cloudapp.build.BuildVariables.*;

import io.miniflow.cloudapp.BuildStarter;
import io.miniflow.cloudapp.BuildTicket;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.shared.ProtectedVariables;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

/** Starts environment-build for a build the service has just recorded (in its transaction). */
@Component
class ProcessBuildStarter implements BuildStarter {

    private final EnvironmentBuilds builds;
    private final RuntimeService runtime;

    ProcessBuildStarter(EnvironmentBuilds builds, RuntimeService runtime) {
        this.builds = builds;
        this.runtime = runtime;
    }

    @Override
    public String start(long buildId) {
        BuildTicket t = builds.ticket(buildId);
        return ProtectedVariables.asMiniflow(() -> runtime.createProcessInstanceByKey(PROCESS_KEY)
            .businessKey(t.app() + "/" + t.env().code() + "/" + buildId)
            .setVariables(Variables.createVariables().putValue(WORKSPACE.name(), t.workspace())
                .putValue(BUILD_ID.name(), buildId).putValue(CLOUD_APP.name(), t.app())
                .putValue(ENV.name(), t.env().code()).putValue(PLAN.name(), t.plan().name())
                .putValue(OUT_TRADE_NO.name(), t.outTradeNo()))
            .execute().getId());
    }
}
