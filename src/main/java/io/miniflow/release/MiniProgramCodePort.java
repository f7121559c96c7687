package io.miniflow.release;

import java.util.List;
import java.util.Optional;

/**
 * What the release process needs from a mini-program platform's code management (WeChat's third-party platform
 * today). Owned by the release domain; an adapter translates it to the platform's API and its error codes.
 *
 * <p>Business refusals the process handles are thrown as {@link PlatformRefusal}; anything else thrown is technical
 * (the engine retries it and then raises an incident).
 */
public interface MiniProgramCodePort {

    /** The experience (last committed) and released versions, by their user_version. Nulls when there is none. */
    VersionInfo versionInfo(String appId);

    void commit(String appId, long templateId, String extJson, String userVersion, String userDesc);

    /** Registers the server domains and sets them, then the webview domains (the order the platform requires). */
    void configureDomains(String appId, DomainSettings domains);

    void setPrivacySetting(String appId, PrivacySettings privacy);

    /** Submits the committed code for audit and returns the audit id. */
    long submitAudit(String appId, String versionDesc, String feedback);

    /** The latest audit of this mini program, or {@code null} when none was ever submitted. */
    AuditState latestAudit(String appId);

    /**
     * What the platform says to a submission while another audit of the mini program runs: the release asks its state
     * first and never submits then, yet reports the wait in the platform's words.
     */
    PlatformRefusal auditRunning(AuditState running);

    /** Releases the approved version to everyone. */
    void release(String appId);

    /**
     * Why the platform cannot phase a release of this mini program now, in its own words, or empty when it can
     * (WeChat phases a new version only while another one is online). Asked instead of being refused.
     */
    Optional<String> grayReleaseRefusal(String appId);

    /** Moves a phased release to a percentage (rising only). */
    void grayRelease(String appId, int percentage);

    /** The current phased-release percentage, 0 when none runs. */
    int grayPercentage(String appId);

    /** Rolls the online version back to the previous one. */
    void revertCodeRelease(String appId);

    /** Cancels a phased release. */
    void revertGrayRelease(String appId);

    /** The platform's audit quota this month (shared by all mini programs), read through any authorized one. */
    AuditQuota auditQuota(String anyAppId);

    /** The versions that were online and may be rolled back to, newest first (the platform keeps a few). */
    List<ReleasedVersion> releasedVersions(String appId);

    /** Rolls the online version back to one of {@link #releasedVersions}. */
    void revertCodeRelease(String appId, int appVersion);

    /** Sets the full privacy guide of the version under development. */
    void setPrivacyGuide(String appId, PrivacyGuide guide);

    /** The privacy guide of the version under development as the platform keeps it, to compare after setting it. */
    PrivacyGuide privacyGuide(String appId);

    /**
     * Withdraws the mini program's running audit. The platform limits how often (per day and per month) and refuses
     * when no audit runs; such a refusal is a {@code MiniflowException} with the platform's message for people.
     */
    void undoAudit(String appId);

    /** Asks the platform to hurry this audit; it takes one of the month's speed-ups and refuses when none are left. */
    void speedUpAudit(String appId, long auditId);

    /** This month's audit and speed-up quotas (shared by all mini programs), read through any authorized one. */
    PlatformQuotas quotas(String anyAppId);

    /** Suspends ({@code open} false) or restores the mini program's service for its users. */
    void changeService(String appId, boolean open);

    /** Whether the mini program's service is open to its users. */
    boolean serviceOpen(String appId);

    /** appVersion: the platform's number of the version; userVersion and description: as committed. */
    record ReleasedVersion(int appVersion, String userVersion, String description, long commitTime) {
    }

    record PlatformQuotas(int auditRemaining, int auditLimit, int speedUpRemaining, int speedUpLimit) {
    }

    record AuditQuota(int remaining, int limit) {
    }

    record VersionInfo(String experienceVersion, String releaseVersion) {
    }

    record AuditState(long auditId, AuditStatus status, String reason, List<String> screenshots, String userVersion) {
    }

    record DomainSettings(List<String> requestDomains, List<String> webviewDomains) {

        public static DomainSettings none() {
            return new DomainSettings(List.of(), List.of());
        }

        public boolean isEmpty() {
            return requestDomains.isEmpty() && webviewDomains.isEmpty();
        }
    }

    record PrivacySettings(String contactEmail, List<String> privacyKeys) {

        public boolean isEmpty() {
            return contactEmail == null || contactEmail.isBlank();
        }
    }
}
