package io.miniflow.approval;

/** What an application asks for. */
public enum ApprovalCategory {
    /** Launch / publishing of a mini program or app version. */
    PUBLISH,
    /** Removal of a mini program or app. */
    REMOVAL,
    /** A member request. */
    MEMBER,
    /** Activation of a feature. */
    FEATURE
}
