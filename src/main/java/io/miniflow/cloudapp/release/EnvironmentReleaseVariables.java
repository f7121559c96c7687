package io.miniflow.cloudapp.release;

import static io.miniflow.shared.ProcessVariable.flag;
import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables of {@code environment-release}, declared once with their types. Miniflow starts the process and
 * writes every one of them (EnvironmentReleaseConfig): no person sets any. Those around the call of review-approval are
 * {@link io.miniflow.approval.ReviewCall}'s.
 */
public final class EnvironmentReleaseVariables {

    public static final String PROCESS_KEY = "environment-release";

    public static final ProcessVariable<String> WORKSPACE = text("workspace");
    public static final ProcessVariable<Long> ENVIRONMENT_ID = id("environmentId");
    /** The environment's last build: its resources are the ones released. */
    public static final ProcessVariable<Long> BUILD_ID = id("buildId");
    public static final ProcessVariable<String> CLOUD_APP = text("cloudApp");
    /** test or prod. */
    public static final ProcessVariable<String> ENV = text("env");
    public static final ProcessVariable<String> REQUESTED_BY = text("requestedBy");
    /** The status the environment had before (READY or BUILD_FAILED): where a release not approved returns it. */
    public static final ProcessVariable<String> RETURN_TO = text("returnTo");
    /** Every server is stopped (or gone): they may be deleted (DeleteInstance refuses one still stopping). */
    public static final ProcessVariable<Boolean> SERVERS_STOPPED = flag("serversStopped");

    private EnvironmentReleaseVariables() {
    }
}
