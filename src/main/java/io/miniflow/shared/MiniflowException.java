package io.miniflow.shared;

import org.springframework.http.HttpStatus;

/**
 * A refusal a person should read: carries an HTTP status and a message key resolved in zh-CN or en
 * (messages*.properties), with arguments.
 */
public class MiniflowException extends RuntimeException {

    private final HttpStatus status;
    private final String messageKey;
    private final transient Object[] args;

    public MiniflowException(HttpStatus status, String messageKey, Object... args) {
        super(messageKey);
        this.status = status;
        this.messageKey = messageKey;
        this.args = args;
    }

    public static MiniflowException badRequest(String key, Object... args) {
        return new MiniflowException(HttpStatus.BAD_REQUEST, key, args);
    }

    public static MiniflowException forbidden(String key, Object... args) {
        return new MiniflowException(HttpStatus.FORBIDDEN, key, args);
    }

    public static MiniflowException notFound(String key, Object... args) {
        return new MiniflowException(HttpStatus.NOT_FOUND, key, args);
    }

    public static MiniflowException conflict(String key, Object... args) {
        return new MiniflowException(HttpStatus.CONFLICT, key, args);
    }

    public HttpStatus status() {
        return status;
    }

    public String messageKey() {
        return messageKey;
    }

    public Object[] args() {
        return args;
    }
}
