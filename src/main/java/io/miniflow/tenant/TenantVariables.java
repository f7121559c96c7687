package io.miniflow.tenant;

import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables of {@code tenant-provisioning}, declared once with their types; the names are those of the model,
 * its form and its history. Everything here is written by Miniflow only (TenantConfig), except the operator's
 * decision, the form field of Task_RetryOrClose.
 */
public final class TenantVariables {

    public static final String PROCESS_KEY = "tenant-provisioning";
    /** The merchant authorized a mini program through the tenant app's link (redirect or push). */
    public static final String MESSAGE_AUTHORIZED = "tenant-authorization-granted";
    /** The SaaS platform asked for a new link after the old one expired. */
    public static final String MESSAGE_LINK_RENEWED = "tenant-link-renewed";
    /** The SaaS platform or an admin closes the tenant while its app is opening (the event sub-process). */
    public static final String MESSAGE_CLOSE = "tenant-close-requested";
    /** ... and once the app was opened (or failed): starts an instance that only closes it. */
    public static final String MESSAGE_CLOSE_OPENED = "tenant-close-opened";

    public static final ProcessVariable<String> WORKSPACE = text("workspace");
    public static final ProcessVariable<String> TENANT_CODE = text("tenantCode");
    public static final ProcessVariable<String> TENANT_APP_CODE = text("tenantAppCode");
    public static final ProcessVariable<Long> TENANT_APP_ID = id("tenantAppId");
    /** The bound WeChat mini program; the name wechat-mp-release takes it by. */
    public static final ProcessVariable<String> APP_ID = text("appId");
    /** The first release: the template, and the version and description WeChat shows. */
    public static final ProcessVariable<Long> TEMPLATE_ID = id("templateId");
    public static final ProcessVariable<String> USER_VERSION = text("userVersion");
    public static final ProcessVariable<String> USER_DESC = text("userDesc");
    /** What wechat-mp-release hands back when the mini program serves the version (absent otherwise). */
    public static final ProcessVariable<String> RELEASED_VERSION = text("releasedVersion");
    /** The step an operator's RETRY goes back to: RELEASE, MIGRATION or LIVE. */
    public static final ProcessVariable<String> FAILED_STEP = text("failedStep");
    /** Task_RetryOrClose's field: RETRY or CLOSE. */
    public static final ProcessVariable<String> OPERATOR_DECISION = text("operatorDecision");

    private TenantVariables() {
    }
}
