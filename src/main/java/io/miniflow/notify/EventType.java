package io.miniflow.notify;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events a workspace can subscribe to, by the code subscriptions name them with ({@code approval.requested}).
 * Each has a title in the bundles ({@code notify.event.<code>}) that the robots' messages start with.
 */
public enum EventType {
    APPROVAL_REQUESTED("approval.requested"),
    APPROVAL_DECIDED("approval.decided"),
    APPROVAL_REMINDER("approval.reminder"),
    PUBLISH_SUCCEEDED("publish.succeeded"),
    PUBLISH_FAILED("publish.failed"),
    RELEASE_FINISHED("release.finished"),
    RELEASE_HALTED("release.halted"),
    RELEASE_PAUSED_BY_QUOTA("release.paused_by_quota"),
    TENANT_LIVE("tenant.live"),
    TENANT_FAILED("tenant.failed"),
    ENVIRONMENT_BUILT("environment.built"),
    ENVIRONMENT_BUILD_FAILED("environment.build_failed"),
    ENVIRONMENT_DEPLOYED("environment.deployed"),
    ENVIRONMENT_ROLLED_BACK("environment.rolled_back"),
    ENVIRONMENT_DEPLOY_FAILED("environment.deploy_failed"),
    INCIDENT_OPENED("incident.opened");

    private final String code;

    EventType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** The bundle key of the event's title. */
    String titleKey() {
        return "notify.event." + code;
    }

    /** Whether something went wrong: the robots colour such messages (Feishu's card header, a warning mark). */
    boolean isBadNews() {
        return code.endsWith("failed") || code.endsWith("halted") || code.endsWith("rolled_back")
            || code.endsWith("paused_by_quota") || this == INCIDENT_OPENED;
    }

    public static Optional<EventType> of(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
