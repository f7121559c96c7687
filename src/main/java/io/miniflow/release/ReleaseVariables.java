package io.miniflow.release;

import static io.miniflow.shared.ProcessVariable.commaSeparated;
import static io.miniflow.shared.ProcessVariable.count;
import static io.miniflow.shared.ProcessVariable.flag;
import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import java.util.List;
import java.util.function.Function;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables of {@code wechat-mp-release}, declared once with their types. Delegates, listeners and services read
 * and write them only through here; the names are those of the model, its forms and its history.
 */
public final class ReleaseVariables {

    public static final String PROCESS_KEY = "wechat-mp-release";
    public static final String MESSAGE_AUDIT_RESULT = "wechat-audit-result";
    public static final String MESSAGE_ROLLBACK = "wechat-rollback-requested";
    public static final String MESSAGE_GRAY_STEP_APPROVED = "wechat-gray-step-approved";
    /** A person lets a release whose audit was withdrawn submit it again. */
    public static final String MESSAGE_SUBMIT_AGAIN = "wechat-submit-again";
    /** A person asks to speed up the running audit (a non-interrupting event sub-process). */
    public static final String MESSAGE_SPEED_UP = "wechat-audit-speed-up-requested";

    public static final ProcessVariable<String> WORKSPACE = text("workspace");
    public static final ProcessVariable<String> APP_ID = text("appId");
    /** Started as text (the batch's forms and history show it so). */
    public static final ProcessVariable<Long> TEMPLATE_ID = id("templateId");
    public static final ProcessVariable<String> USER_VERSION = text("userVersion");
    public static final ProcessVariable<String> USER_DESC = text("userDesc");
    public static final ProcessVariable<String> EXT_JSON = text("extJson");
    public static final ProcessVariable<List<String>> REQUEST_DOMAINS = commaSeparated("requestDomains",
        Function.identity());
    public static final ProcessVariable<List<String>> WEBVIEW_DOMAINS = commaSeparated("webviewDomains",
        Function.identity());
    public static final ProcessVariable<String> PRIVACY_CONTACT_EMAIL = text("privacyContactEmail");
    public static final ProcessVariable<Long> AUDIT_ID = id("auditId");
    /** An {@link AuditStatus} name; the model's gateways compare it as text. */
    public static final ProcessVariable<String> AUDIT_STATUS = text("auditStatus");
    public static final ProcessVariable<String> AUDIT_REASON = text("auditReason");
    /** Set by the platform's push when the audit takes longer than usual; the release keeps waiting. */
    public static final ProcessVariable<Boolean> AUDIT_DELAYED = flag("auditDelayed");
    /** The audit's screenshots as the push reported them, separated by '|'. */
    public static final ProcessVariable<String> AUDIT_SCREENSHOTS = text("auditScreenshots");
    /** Task_DecideAfterRejection's field: RESUBMIT or ABANDON. */
    public static final ProcessVariable<String> REJECTION_DECISION = text("rejectionDecision");
    public static final ProcessVariable<String> REJECTION_FEEDBACK = text("rejectionFeedback");
    /** "5,20,50": rising percentages; empty means release at once. */
    public static final ProcessVariable<List<Integer>> GRAY_PLAN = commaSeparated("grayPlan", Integer::valueOf);
    /** How many steps of the gray plan are done. */
    public static final ProcessVariable<Integer> GRAY_STEP = count("grayStep");
    public static final ProcessVariable<Boolean> GRAY_PLAN_DONE = flag("grayPlanDone");
    /** Why the gray plan was skipped (the platform had no version online to compare with). */
    public static final ProcessVariable<String> GRAY_PLAN_SKIPPED = text("grayPlanSkipped");
    /** True when each further gray step waits for a person's approval instead of a timed pause. */
    public static final ProcessVariable<Boolean> GRAY_APPROVAL = flag("grayApproval");
    public static final ProcessVariable<String> ROLLBACK_TARGET = text("rollbackTarget");
    /** wechat-mp-rollback: the platform's app_version a person chose from the history; absent means the previous one. */
    public static final ProcessVariable<Integer> ROLLBACK_APP_VERSION = count("rollbackAppVersion");
    /** wechat-mp-rollback: who asked for the chosen-version rollback (the authenticated user). */
    public static final ProcessVariable<String> ROLLBACK_REQUESTED_BY = text("rollbackRequestedBy");
    /** The mini program's full privacy guide as JSON ({@link PrivacyGuide}); absent when only a contact is set. */
    public static final ProcessVariable<String> PRIVACY_GUIDE = text("privacyGuide");
    /** The version the platform serves once Task_VerifyRelease saw it; handed back to callers outside a batch. */
    public static final ProcessVariable<String> RELEASED_VERSION = text("releasedVersion");
    /** Why the release waits before submitting again, in the platform's words. */
    public static final ProcessVariable<String> WAIT_REASON = text("waitReason");

    private ReleaseVariables() {
    }
}
