package io.miniflow.release;

/** The BPMN error codes of wechat-mp-release, in one place (they match the bpmn:error elements of the model). */
final class ReleaseErrors {

    static final String SUBMIT_MUST_WAIT = "SUBMIT_MUST_WAIT";
    static final String AUDIT_QUOTA_EXHAUSTED = "AUDIT_QUOTA_EXHAUSTED";

    private ReleaseErrors() {
    }

    static String codeOf(PlatformRefusal.Kind kind) {
        return switch (kind) {
            case MUST_WAIT -> SUBMIT_MUST_WAIT;
            case AUDIT_QUOTA_EXHAUSTED -> AUDIT_QUOTA_EXHAUSTED;
        };
    }
}
