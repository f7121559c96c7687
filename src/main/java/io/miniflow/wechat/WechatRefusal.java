package io.miniflow.wechat;

import org.springframework.http.HttpStatus;

import io.miniflow.shared.MiniflowException;

/**
 * WeChat refused an action a person asked for (undo or speed up an audit, suspend or restore a service), as a refusal
 * people read: 409 with WeChat's translated message when waiting cannot help (a limit, a wrong state), 503 when it can.
 * The exception's own message keeps WeChat's errcode and errmsg for logs and Cockpit incidents.
 */
public class WechatRefusal extends MiniflowException {

    private final transient WechatApiException platformAnswer;

    WechatRefusal(WechatApiException e) {
        super(e.retryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.CONFLICT, e.messageKey(),
            String.valueOf(e.errcode()), e.errmsg());
        this.platformAnswer = e;
        initCause(e);
    }

    /** Whether trying again later can help. */
    public boolean retryable() {
        return platformAnswer.retryable();
    }

    @Override
    public String getMessage() {
        return platformAnswer.getMessage();
    }
}
