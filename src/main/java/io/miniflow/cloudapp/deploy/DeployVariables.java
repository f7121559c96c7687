package io.miniflow.cloudapp.deploy;

import static io.miniflow.shared.ProcessVariable.flag;
import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables of {@code environment-deploy}, declared once with their types. Miniflow starts the process and
 * writes every one of them (DeployConfig): no person sets any. The servers' progress lives in Miniflow's tables
 * (mf_cloud_deploy_server), the variables only steer the model's gateways. Those around the call of review-approval
 * are {@link io.miniflow.approval.ReviewCall}'s.
 */
public final class DeployVariables {

    public static final String PROCESS_KEY = "environment-deploy";

    public static final ProcessVariable<String> WORKSPACE = text("workspace");
    public static final ProcessVariable<Long> ENVIRONMENT_ID = id("environmentId");
    public static final ProcessVariable<Long> DEPLOY_ID = id("deployId");
    public static final ProcessVariable<String> CLOUD_APP = text("cloudApp");
    /** test or prod. */
    public static final ProcessVariable<String> ENV = text("env");
    public static final ProcessVariable<String> PACKAGE_VERSION = text("packageVersion");
    public static final ProcessVariable<String> REQUESTED_BY = text("requestedBy");

    /** The environment has a load balancer: servers are drained one at a time (standard); otherwise in place. */
    public static final ProcessVariable<Boolean> LOAD_BALANCED = flag("loadBalanced");
    /** RUNNING, DONE or FAILED: the install command on the current server. */
    public static final ProcessVariable<String> INSTALL = text("install");
    /** WAIT, HEALTHY or UNHEALTHY: the current server's health check. */
    public static final ProcessVariable<String> HEALTH = text("health");
    /** Another server waits in the current phase. */
    public static final ProcessVariable<Boolean> MORE_SERVERS = flag("moreServers");
    /** The servers go back to the previous version (after a failure). */
    public static final ProcessVariable<Boolean> ROLLING_BACK = flag("rollingBack");
    /** After a server failed: ROLL_BACK (a previous version exists and was not the one failing) or FAIL. */
    public static final ProcessVariable<String> AFTER_FAILURE = text("afterFailure");

    private DeployVariables() {
    }
}
