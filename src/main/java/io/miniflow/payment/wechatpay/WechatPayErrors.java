package io.miniflow.payment.wechatpay;

import java.util.Map;
import java.util.Set;

import io.miniflow.shared.PlatformErrors;

/**
 * The one translation of WeChat Pay's error codes into Miniflow's terms: retryable or not, and which message people
 * read (keys {@code payment.error.*} in i18n/payment*.properties). Only {@link WechatPayAdapter} catches the SDK's
 * exceptions and passes their codes here.
 */
final class WechatPayErrors {

    /** Codes worth retrying: the platform's or the bank's temporary trouble, and its rate limit. */
    private static final Set<String> RETRYABLE = Set.of("SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANKERROR");

    /** Codes with their own message; the rest get the generic retryable/refused message with the code. */
    private static final Map<String, String> MESSAGES = Map.ofEntries(
        Map.entry("FREQUENCY_LIMITED", "throttled"),
        Map.entry("SYSTEM_ERROR", "unavailable"),
        Map.entry("SIGN_ERROR", "credentials"),
        Map.entry("ORDERPAID", "orderPaid"),
        Map.entry("ORDERCLOSED", "orderClosed"),
        Map.entry("ORDER_NOT_EXIST", "orderNotFound"),
        Map.entry("RESOURCE_NOT_EXISTS", "orderNotFound"),
        Map.entry("NOT_ENOUGH", "refundBalance"),
        Map.entry("INVALID_REQUEST", "invalidRequest"));

    static final PlatformErrors WECHATPAY = new PlatformErrors("wechatpay", "payment.error", RETRYABLE::contains,
        MESSAGES);

    private WechatPayErrors() {
    }
}
