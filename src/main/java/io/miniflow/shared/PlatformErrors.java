package io.miniflow.shared;

import java.util.Map;
import java.util.function.Predicate;

/**
 * One platform's error codes in Miniflow's terms, declared once by the feature that talks to it (cloud.CloudErrors,
 * payment.wechatpay.WechatPayErrors): which codes are worth retrying and which have a message of their own. The rules
 * every platform shares live here: no answer (status 0) and any 5xx are retryable whatever the code says (the
 * references: retry on 500, 503 or no response), and the other codes get the generic retryable or refused message.
 * Message keys are {@code <keyPrefix>.<name>} with the arguments {0} platform, {1} code, {2} detail.
 */
public final class PlatformErrors {

    /** The code of a call that got no answer at all; its message is {@code <keyPrefix>.unreachable}. */
    public static final String UNREACHABLE = "UNREACHABLE";

    private final String platform;
    private final String keyPrefix;
    private final Predicate<String> retryableCode;
    private final Map<String, String> messageNames;

    /** {@code messageNames}: code → the message's name under {@code keyPrefix}, for codes with a message of their own. */
    public PlatformErrors(String platform, String keyPrefix, Predicate<String> retryableCode,
                          Map<String, String> messageNames) {
        this.platform = platform;
        this.keyPrefix = keyPrefix;
        this.retryableCode = retryableCode;
        this.messageNames = messageNames;
    }

    public String platform() {
        return platform;
    }

    /** Translates a platform answer; {@code httpStatus} 0 means no answer came back. */
    public PlatformException translate(String code, int httpStatus, String requestId, String detail) {
        String safeCode = code == null || code.isBlank() ? "UNKNOWN" : code;
        boolean retryable = isRetryable(safeCode, httpStatus);
        String name = UNREACHABLE.equals(safeCode) ? "unreachable"
            : messageNames.getOrDefault(safeCode, retryable ? "retryable" : "refused");
        return new PlatformException(platform, safeCode, requestId, retryable, keyPrefix + "." + name, platform,
            safeCode, detail == null ? "" : detail);
    }

    public boolean isRetryable(String code, int httpStatus) {
        return httpStatus == 0 || httpStatus >= 500 || (code != null && retryableCode.test(code));
    }

    /** No answer at all (connection refused, timeout): always retryable. */
    public PlatformException unreachable(Exception cause) {
        return translate(UNREACHABLE, 0, null, cause.toString());
    }
}
