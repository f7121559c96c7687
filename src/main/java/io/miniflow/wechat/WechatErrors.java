package io.miniflow.wechat;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.context.MessageSource;

import io.miniflow.shared.QuickRetries;

/**
 * The one translation of WeChat's errcodes (WeChat's published error table): whether trying again
 * later can help, and a message for people in zh-CN and English ({@code i18n/wechat*.properties}, key
 * {@code wechat.error.<code>}). Codes not listed keep WeChat's raw code and message.
 */
public final class WechatErrors {

    /**
     * Waiting (and trying again) can help: the platform is busy, a quota resets, a scan or audit finishes, a token
     * renews, a new verify ticket arrives (61005/61006 make the token manager ask for one).
     */
    private static final Set<Integer> RETRYABLE = Set.of(-1, 40001, 40014, 42001, 45009, 45011, 61005, 61006, 61039,
        85009, 89401,
        WechatApiException.NETWORK, WechatApiException.HTTP_STATUS, WechatApiException.NO_TICKET);

    /** Codes with a message of their own in the bundles. */
    static final Set<Integer> KNOWN = Set.of(-1, 40001, 40013, 40014, 40125, 41001, 41004, 42001, 44002, 45009, 45011,
        47001,
        48001, 61003, 61004, 61005, 61006, 61007, 61011, 61023, 61039, 61040, 85006, 85007, 85008, 85009, 85010, 85011,
        85012, 85013, 85014, 85015, 85017, 85019, 85020, 85021, 85022, 85023, 85043, 85044, 85045, 85046, 85047, 85048,
        85052, 85058, 85064, 85065, 85077, 85079, 85080, 85081, 85082, 85085, 85086, 86000, 86001, 86002, 86074, 87011,
        87012, 87013, 89019, 89020, 89021, 89401, 89402, 89403, 89404, 89405,
        // testers, QR-code rules (seed 003's table) and the privacy guide's refusals
        85001, 85002, 85003, 85004, 85066, 85068, 85069, 85070, 85071, 85072, 85073, 85074, 85075, 85076, 89031,
        86069, 86070, 86072, 86073, 86075,
        WechatApiException.NETWORK, WechatApiException.HTTP_STATUS, WechatApiException.NO_TICKET,
        WechatApiException.NOT_AUTHORIZED);

    private static final Map<Integer, String> SPECIAL_KEYS = Map.of(
        WechatApiException.NETWORK, "wechat.error.network",
        WechatApiException.HTTP_STATUS, "wechat.error.http",
        WechatApiException.NO_TICKET, "wechat.error.no-ticket",
        WechatApiException.NOT_AUTHORIZED, "wechat.error.not-authorized");

    private WechatErrors() {
    }

    public static boolean isRetryable(int errcode) {
        return RETRYABLE.contains(errcode);
    }

    /** The bundle key for a code; {@code wechat.error.unknown} (with code and raw message) when it has none. */
    public static String messageKey(int errcode) {
        String special = SPECIAL_KEYS.get(errcode);
        if (special != null) {
            return special;
        }
        return KNOWN.contains(errcode) ? "wechat.error." + errcode : "wechat.error.unknown";
    }

    /**
     * Whether a failed call is worth trying again at once ({@link QuickRetries}): the platform was busy (-1, a 5xx)
     * and did nothing, or it limits the call frequency (45009, 45011) and the caller should slow down. Everything
     * else, a call without an answer included, waits for the engine's retry.
     */
    public static QuickRetries.Kind quickRetry(RuntimeException failure) {
        if (!(failure instanceof WechatApiException e)) {
            return QuickRetries.Kind.NONE;
        }
        return switch (e.errcode()) {
            case -1 -> QuickRetries.Kind.TRANSIENT;
            case 45009, 45011 -> QuickRetries.Kind.SLOW_DOWN;
            case WechatApiException.HTTP_STATUS -> e.errmsg().startsWith("5") ? QuickRetries.Kind.TRANSIENT
                : QuickRetries.Kind.NONE;
            default -> QuickRetries.Kind.NONE;
        };
    }

    public static WechatApiException of(String api, int errcode, String errmsg) {
        return new WechatApiException(api, errcode, errmsg, isRetryable(errcode), messageKey(errcode));
    }

    /** The message for people; unknown codes read "WeChat error <code>: <raw message>". */
    public static String message(MessageSource messages, WechatApiException e, Locale locale) {
        return messages.getMessage(e.messageKey(), new Object[] {String.valueOf(e.errcode()), e.errmsg()},
            "WeChat error " + e.errcode() + ": " + e.errmsg(), locale);
    }
}
