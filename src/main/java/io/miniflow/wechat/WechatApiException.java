package io.miniflow.wechat;

import io.miniflow.shared.PlatformFailure;

/**
 * WeChat refused a call or could not be reached. Carries the raw errcode and errmsg, whether trying again later can
 * help, and the key of the people-facing message ({@link WechatErrors#message}).
 */
public class WechatApiException extends RuntimeException implements PlatformFailure {

    /** errcode for "no HTTP answer" (connection refused, timeout). */
    public static final int NETWORK = -1000;
    /** errcode for an HTTP status other than 200. */
    public static final int HTTP_STATUS = -1001;
    /** errcode while no component_verify_ticket has arrived yet. */
    public static final int NO_TICKET = -1002;
    /** errcode when Miniflow holds no refresh token for the mini program. */
    public static final int NOT_AUTHORIZED = -1003;

    private final String api;
    private final int errcode;
    private final String errmsg;
    private final boolean retryable;
    private final String messageKey;

    public WechatApiException(String api, int errcode, String errmsg, boolean retryable, String messageKey) {
        super(api + ": errcode " + errcode + " " + errmsg);
        this.api = api;
        this.errcode = errcode;
        this.errmsg = errmsg;
        this.retryable = retryable;
        this.messageKey = messageKey;
    }

    public String api() {
        return api;
    }

    public int errcode() {
        return errcode;
    }

    public String errmsg() {
        return errmsg;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }

    @Override
    public String messageKey() {
        return messageKey;
    }

    /** The arguments of the message: the errcode and WeChat's own errmsg (for codes without a message of their own). */
    @Override
    public Object[] messageArgs() {
        return new Object[] {String.valueOf(errcode), errmsg};
    }

    /** The token was rejected (40001, 40014, 42001): the cached token must be dropped. */
    public boolean isTokenRejected() {
        return errcode == 40001 || errcode == 40014 || errcode == 42001;
    }
}
