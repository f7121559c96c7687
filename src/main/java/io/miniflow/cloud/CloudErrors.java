package io.miniflow.cloud;

import java.util.Map;
import java.util.Set;

/**
 * The one translation of platform error codes (Aliyun ECS/SLB, WeChat Pay) into Miniflow's terms: retryable or not,
 * and which message people read (keys in i18n/cloud*.properties). Adapters pass the code they caught; nothing else
 * decides about retries.
 */
public final class CloudErrors {

    public static final String ALIYUN = "aliyun";
    public static final String WECHATPAY = "wechatpay";

    /** Codes worth retrying: throttling, temporary unavailability, and SLB's "busy, configuring" family. */
    private static final Set<String> RETRYABLE = Set.of(
        "Throttling", "Throttling.User", "Throttling.Api", "Rejected.Throttling", "ServiceUnavailable",
        "InternalError", "SystemBusy", "OperationBusy", "ServiceIsStopping", "BackendServer.configuring",
        "ServiceIsConfiguring", "OperationFailed.TokenIsProcessing", "OperationConflict", "InvalidOperation.Conflict",
        "LastTokenProcessing",
        // the SDK's own codes when no answer came back
        "SDK.ServerUnreachable", "SDK.ReadTimeout", "SDK.ConnectTimeout",
        // WeChat Pay
        "SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANKERROR");

    /** Codes with their own message; the rest get the generic retryable/refused message with the code. */
    private static final Map<String, String> KEYS = Map.ofEntries(
        Map.entry("Throttling", "cloud.error.throttled"),
        Map.entry("Throttling.User", "cloud.error.throttled"),
        Map.entry("Rejected.Throttling", "cloud.error.throttled"),
        Map.entry("FREQUENCY_LIMITED", "cloud.error.throttled"),
        Map.entry("ServiceUnavailable", "cloud.error.unavailable"),
        Map.entry("InternalError", "cloud.error.unavailable"),
        Map.entry("SYSTEM_ERROR", "cloud.error.unavailable"),
        Map.entry("SDK.ServerUnreachable", "cloud.error.unreachable"),
        Map.entry("SDK.ReadTimeout", "cloud.error.unreachable"),
        Map.entry("SDK.ConnectTimeout", "cloud.error.unreachable"),
        Map.entry("UNREACHABLE", "cloud.error.unreachable"),
        Map.entry("IncorrectInstanceStatus", "cloud.error.incorrectInstanceStatus"),
        Map.entry("InvalidInstanceId.NotFound", "cloud.error.instanceNotFound"),
        Map.entry("InvalidLoadBalancerId.NotFound", "cloud.error.loadBalancerNotFound"),
        Map.entry("OperationDenied.NoStock", "cloud.error.noStock"),
        Map.entry("IdempotentParameterMismatch", "cloud.error.idempotentMismatch"),
        Map.entry("SignatureDoesNotMatch", "cloud.error.credentials"),
        Map.entry("SDK.InvalidAccessKeySecret", "cloud.error.credentials"),
        Map.entry("InvalidAccessKeyId.NotFound", "cloud.error.credentials"),
        Map.entry("SIGN_ERROR", "cloud.error.credentials"),
        Map.entry("ListenerAlreadyExists", "cloud.error.listenerExists"),
        Map.entry("ORDERPAID", "cloud.error.orderPaid"),
        Map.entry("ORDERCLOSED", "cloud.error.orderClosed"),
        Map.entry("ORDER_NOT_EXIST", "cloud.error.orderNotFound"),
        Map.entry("INVALID_REQUEST", "cloud.error.invalidRequest"));

    private CloudErrors() {
    }

    /**
     * Translates a platform answer. {@code httpStatus} 0 means no answer came back; 5xx and no answer are retryable
     * whatever the code says (the reference: retry on 500, 503 or no response).
     */
    public static CloudException translate(String platform, String code, int httpStatus, String requestId,
                                           String detail) {
        String safeCode = code == null || code.isBlank() ? "UNKNOWN" : code;
        boolean retryable = isRetryable(safeCode, httpStatus);
        String key = KEYS.getOrDefault(safeCode, retryable ? "cloud.error.retryable" : "cloud.error.refused");
        return new CloudException(platform, safeCode, requestId, retryable, key, platform, safeCode,
            detail == null ? "" : detail);
    }

    public static boolean isRetryable(String code, int httpStatus) {
        return httpStatus == 0 || httpStatus >= 500 || RETRYABLE.contains(code)
            || (code != null && code.startsWith("Throttling"));
    }

    /** No answer at all (connection refused, timeout): always retryable. */
    public static CloudException unreachable(String platform, Exception cause) {
        return translate(platform, "UNREACHABLE", 0, null, cause.toString());
    }
}
