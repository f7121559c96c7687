package io.miniflow.cloudapp.deploy;

import io.miniflow.cloudapp.Plan;
import io.miniflow.shared.PageResult;

/**
 * The deploy section of an environment tab: the version running now, the order running (if any), one page of the
 * history, and whether the user may order a deploy (an editor while the environment is READY).
 */
public record DeployTab(String app, String env, Plan plan, int requiredApprovals, boolean ready, boolean canDeploy,
                        String runningVersion, DeploySummary active, PageResult<DeploySummary> history) {

    /** A starter has one server: its deploy stops the app, installs and starts it again (a short downtime). */
    public boolean inPlace() {
        return plan == Plan.STARTER;
    }

    /** "Deploy this package again": an ended order whose version is not the one running, while nothing runs. */
    public boolean mayRedeploy(DeploySummary order) {
        return canDeploy && active == null && !order.status().active() && !order.version().equals(runningVersion);
    }
}
