package io.miniflow.release;

/**
 * The platform said "not now" or "not this way" for a reason the release process models: wait for the platform to
 * finish what it is doing with the mini program, or stop until the audit quota is back. Everything else the platform
 * refuses is technical. The message is the platform's own (its adapter puts the platform's code and words in it), for
 * the people who look at a waiting release; the process acts on the {@link Kind} only.
 */
public class PlatformRefusal extends RuntimeException {

    /** What the process does about it. */
    public enum Kind {
        /** The platform is busy with this mini program (a privacy scan, another audit): wait and submit again. */
        MUST_WAIT,
        /** The provider's audit quota is used up: a person resumes when it is back. */
        AUDIT_QUOTA_EXHAUSTED
    }

    private final Kind kind;

    public PlatformRefusal(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
