package io.miniflow.shared;

import org.springframework.http.HttpStatus;

/**
 * An outside platform (a cloud, a payment platform) refused or failed a call, translated once by that platform's
 * {@link PlatformErrors}: whether trying again can help, the platform's own code and request id for support, and a
 * message key for people. Retryable failures are technical (the engine retries, then raises an incident); the others
 * need a decision.
 */
public class PlatformException extends MiniflowException implements PlatformFailure {

    private final String platform;
    private final String platformCode;
    private final String requestId;
    private final boolean retryable;

    public PlatformException(String platform, String platformCode, String requestId, boolean retryable,
                             String messageKey, Object... args) {
        super(retryable ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY, messageKey, args);
        this.platform = platform;
        this.platformCode = platformCode;
        this.requestId = requestId;
        this.retryable = retryable;
    }

    public String platform() {
        return platform;
    }

    public String platformCode() {
        return platformCode;
    }

    public String requestId() {
        return requestId;
    }

    @Override
    public boolean retryable() {
        return retryable;
    }

    @Override
    public Object[] messageArgs() {
        return args();
    }

    @Override
    public String getMessage() {
        return platform + " " + platformCode + (retryable ? " (retryable)" : "") + " request " + requestId + ": "
            + messageKey();
    }
}
