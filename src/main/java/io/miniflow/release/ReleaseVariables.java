package io.miniflow.release;

import java.util.Arrays;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;

/**
 * The variables of {@code wechat-mp-release}, named once. Delegates read and write them only through here.
 */
public final class ReleaseVariables {

    public static final String PROCESS_KEY = "wechat-mp-release";
    public static final String MESSAGE_AUDIT_RESULT = "wechat-audit-result";
    public static final String MESSAGE_ROLLBACK = "wechat-rollback-requested";
    public static final String MESSAGE_GRAY_STEP_APPROVED = "wechat-gray-step-approved";

    public static final String WORKSPACE = "workspace";
    public static final String APP_ID = "appId";
    public static final String TEMPLATE_ID = "templateId";
    public static final String USER_VERSION = "userVersion";
    public static final String USER_DESC = "userDesc";
    public static final String EXT_JSON = "extJson";
    public static final String REQUEST_DOMAINS = "requestDomains";
    public static final String WEBVIEW_DOMAINS = "webviewDomains";
    public static final String PRIVACY_CONTACT_EMAIL = "privacyContactEmail";
    public static final String AUDIT_ID = "auditId";
    public static final String AUDIT_STATUS = "auditStatus";
    public static final String AUDIT_REASON = "auditReason";
    public static final String REJECTION_DECISION = "rejectionDecision";
    public static final String REJECTION_FEEDBACK = "rejectionFeedback";
    public static final String GRAY_PLAN = "grayPlan";
    public static final String GRAY_STEP = "grayStep";
    public static final String GRAY_PLAN_DONE = "grayPlanDone";
    /** Why the gray plan was skipped (the platform had no version online to compare with). */
    public static final String GRAY_PLAN_SKIPPED = "grayPlanSkipped";
    /** True when each further gray step waits for a person's approval instead of a timed pause. */
    public static final String GRAY_APPROVAL = "grayApproval";
    public static final String ROLLBACK_TARGET = "rollbackTarget";
    public static final String WAIT_REASON = "waitReason";
    /** The audit's screenshots as the push reported them, separated by '|'. */
    public static final String AUDIT_SCREENSHOTS = "auditScreenshots";

    private ReleaseVariables() {
    }

    public static String appId(DelegateExecution e) {
        return required(e, APP_ID);
    }

    public static String userVersion(DelegateExecution e) {
        return required(e, USER_VERSION);
    }

    public static String text(DelegateExecution e, String name) {
        Object value = e.getVariable(name);
        return value == null ? null : value.toString();
    }

    public static long templateId(DelegateExecution e) {
        return Long.parseLong(required(e, TEMPLATE_ID));
    }

    /** A comma-separated list variable ("a.com,b.com"); empty when absent. */
    public static List<String> list(DelegateExecution e, String name) {
        String raw = text(e, name);
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** The gray plan "5,20,50" as rising percentages; empty means release at once. */
    public static List<Integer> grayPlan(DelegateExecution e) {
        return list(e, GRAY_PLAN).stream().map(Integer::valueOf).toList();
    }

    private static String required(DelegateExecution e, String name) {
        String value = text(e, name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("process variable " + name + " is missing");
        }
        return value;
    }
}
