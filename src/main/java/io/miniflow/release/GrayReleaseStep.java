package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.GRAY_PLAN;
import static io.miniflow.release.ReleaseVariables.GRAY_PLAN_DONE;
import static io.miniflow.release.ReleaseVariables.GRAY_PLAN_SKIPPED;
import static io.miniflow.release.ReleaseVariables.GRAY_STEP;

import java.util.List;
import java.util.Optional;

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
        List<Integer> plan = GRAY_PLAN.from(e);
        int step = GRAY_STEP.optional(e).orElse(0);
        String appId = APP_ID.from(e);
        Optional<String> refusal = step == 0 ? release.grayReleaseRefusal(appId) : Optional.empty();
        if (refusal.isPresent()) {
            // The mini program's first release: nothing is online to phase against, so it goes out to everyone.
            GRAY_PLAN_SKIPPED.set(e, refusal.get() + "; released at once");
            GRAY_PLAN_DONE.set(e, true);
            return;
        }
        release.grayRelease(appId, plan.get(step));
        GRAY_STEP.set(e, step + 1);
        GRAY_PLAN_DONE.set(e, step + 1 >= plan.size());
    }
}
