package io.miniflow.release;

/**
 * The platform said "not now" or "not this way" for a reason the release process models: wait for the privacy scan
 * or the running audit, or stop until the audit quota is back. Everything else the platform refuses is technical.
 */
public class PlatformRefusal extends RuntimeException {

    /** What the process does about it. */
    public enum Kind {
        /** 61039 privacy scan not finished, 85009 another audit running: wait and submit again. */
        MUST_WAIT,
        /** 85085 the provider's audit quota is used up: a person resumes when it is back. */
        AUDIT_QUOTA_EXHAUSTED
    }

    private final Kind kind;
    private final String platformCode;

    public PlatformRefusal(Kind kind, String platformCode, String message) {
        super(message);
        this.kind = kind;
        this.platformCode = platformCode;
    }

    public Kind kind() {
        return kind;
    }

    public String platformCode() {
        return platformCode;
    }
}
