package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.GRAY_PLAN_DONE;
import static io.miniflow.release.ReleaseVariables.GRAY_PLAN_SKIPPED;
import static io.miniflow.release.ReleaseVariables.GRAY_STEP;

import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Task_GrayReleaseStep: the next percentage of the gray plan; says when the plan is complete. A first release (no
 * version online) cannot be phased and is released at once.
 */
@Component("grayReleaseStep")
class GrayReleaseStep implements JavaDelegate {

    private final MiniProgramRelease release;

    GrayReleaseStep(MiniProgramRelease release) {
        this.release = release;
    }

    @Override
    public void execute(DelegateExecution e) {
        List<Integer> plan = ReleaseVariables.grayPlan(e);
        Object current = e.getVariable(GRAY_STEP);
        int step = current == null ? 0 : ((Number) current).intValue();
        if (step == 0 && !release.canReleaseGradually(ReleaseVariables.appId(e))) {
            // The mini program's first release: nothing is online to phase against, so it goes out to everyone.
            e.setVariable(GRAY_PLAN_SKIPPED, "85079: no version online yet, released at once");
            e.setVariable(GRAY_PLAN_DONE, true);
            return;
        }
        release.grayRelease(ReleaseVariables.appId(e), plan.get(step));
        e.setVariable(GRAY_STEP, step + 1);
        e.setVariable(GRAY_PLAN_DONE, step + 1 >= plan.size());
    }
}
