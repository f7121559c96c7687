package io.miniflow.release;

/** Where an audit stands, with WeChat's numeric codes (get_auditstatus: 0 passed, 1 rejected, 2 reviewing, 3 withdrawn, 4 delayed). */
public enum AuditStatus {
    PASSED, REJECTED, UNDER_REVIEW, WITHDRAWN, DELAYED;

    public static AuditStatus fromWeChat(int code) {
        return switch (code) {
            case 0 -> PASSED;
            case 1 -> REJECTED;
            case 2 -> UNDER_REVIEW;
            case 3 -> WITHDRAWN;
            case 4 -> DELAYED;
            default -> throw new IllegalArgumentException("unknown WeChat audit status " + code);
        };
    }

    /** Passed and rejected end an audit; the others mean keep waiting (or, for withdrawn, submit again). */
    public boolean isDecided() {
        return this == PASSED || this == REJECTED;
    }
}
