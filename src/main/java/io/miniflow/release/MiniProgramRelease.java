package io.miniflow.release;

import java.util.Objects;
import java.util.Optional;

import io.miniflow.release.MiniProgramCodePort.AuditState;
import io.miniflow.release.MiniProgramCodePort.DomainSettings;
import io.miniflow.release.MiniProgramCodePort.PrivacySettings;
import io.miniflow.release.MiniProgramCodePort.VersionInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The steps of releasing one mini program, each safe to repeat: before doing something the platform remembers
 * (commit, submit, release), it looks at the platform's state, so an engine retry or a restart after a crash never
 * does it twice.
 */
@Service
public class MiniProgramRelease {

    private static final Logger log = LoggerFactory.getLogger(MiniProgramRelease.class);

    private final MiniProgramCodePort platform;

    public MiniProgramRelease(MiniProgramCodePort platform) {
        this.platform = platform;
    }

    public void commit(String appId, long templateId, String extJson, String userVersion, String userDesc) {
        if (userVersion.equals(port().versionInfo(appId).experienceVersion())) {
            log.info("{}: version {} already committed, not committing again", appId, userVersion);
            return;
        }
        port().commit(appId, templateId, extJson, userVersion, userDesc);
    }

    public void configureDomains(String appId, DomainSettings domains) {
        if (!domains.isEmpty()) {
            port().configureDomains(appId, domains);
        }
    }

    public void setPrivacy(String appId, PrivacySettings privacy) {
        if (!privacy.isEmpty()) {
            port().setPrivacySetting(appId, privacy);
        }
    }

    /**
     * Submits this version for audit unless an audit of it already runs or passed (then its id is returned). An audit
     * of another version that is still running is waited for, never undone or overrun.
     */
    public long submitAudit(String appId, String userVersion, String userDesc, String feedback) {
        AuditState latest = port().latestAudit(appId);
        if (latest != null && userVersion.equals(latest.userVersion())
            && (latest.status() == AuditStatus.UNDER_REVIEW || latest.status() == AuditStatus.DELAYED
                || (latest.status() == AuditStatus.PASSED && feedback == null))) {
            log.info("{}: audit {} of version {} is {}, not submitting again", appId, latest.auditId(), userVersion,
                latest.status());
            return latest.auditId();
        }
        if (latest != null && !userVersion.equals(latest.userVersion())
            && (latest.status() == AuditStatus.UNDER_REVIEW || latest.status() == AuditStatus.DELAYED)) {
            throw port().auditRunning(latest);
        }
        return port().submitAudit(appId, userDesc, feedback);
    }

    /**
     * Withdraws the running audit of this version; one already withdrawn (a repeated step) is not withdrawn again.
     * Returns the audit that was withdrawn. The platform's refusal (no audit running, its undo limits) is thrown.
     */
    public long undoAudit(String appId, String userVersion) {
        AuditState latest = port().latestAudit(appId);
        if (latest != null && latest.status() == AuditStatus.WITHDRAWN && userVersion.equals(latest.userVersion())) {
            log.info("{}: audit {} of version {} already withdrawn", appId, latest.auditId(), userVersion);
            return latest.auditId();
        }
        port().undoAudit(appId);
        return latest == null ? 0 : latest.auditId();
    }

    /** Asks the platform to hurry this audit; its refusal (not in the queue, already sped up, quota) is thrown. */
    public void speedUpAudit(String appId, long auditId) {
        port().speedUpAudit(appId, auditId);
    }

    public AuditState auditState(String appId) {
        return port().latestAudit(appId);
    }

    /** Why a phased release is not possible now, in the platform's words; empty when it is. */
    public Optional<String> grayReleaseRefusal(String appId) {
        return port().grayReleaseRefusal(appId);
    }

    /** One gray step; a step at or below the current percentage was already done (a retry) and is skipped. */
    public void grayRelease(String appId, int percentage) {
        if (port().grayPercentage(appId) >= percentage) {
            return;
        }
        port().grayRelease(appId, percentage);
    }

    public void release(String appId, String userVersion) {
        if (userVersion.equals(port().versionInfo(appId).releaseVersion())) {
            log.info("{}: version {} already released", appId, userVersion);
            return;
        }
        port().release(appId);
    }

    /** Checks that the platform now serves this version; a mismatch is technical (retry, then an incident). */
    public void verify(String appId, String userVersion) {
        VersionInfo info = port().versionInfo(appId);
        if (!Objects.equals(userVersion, info.releaseVersion())) {
            throw new IllegalStateException(appId + " serves " + info.releaseVersion() + ", expected " + userVersion);
        }
    }

    /** Cancels a running phased release, or rolls a full release back to the previous version. */
    public String rollBack(String appId, String userVersion) {
        if (port().grayPercentage(appId) > 0) {
            port().revertGrayRelease(appId);
            return "GRAY_REVERTED";
        }
        if (userVersion.equals(port().versionInfo(appId).releaseVersion())) {
            port().revertCodeRelease(appId);
            return "REVERTED_TO_PREVIOUS";
        }
        return "NOTHING_RELEASED";
    }

    /**
     * Rolls the online version back to a chosen app_version of the platform's history. Looks first: when the chosen
     * version is online already (a retry after the revert went through), it reverts nothing.
     */
    public String rollBackTo(String appId, int appVersion) {
        MiniProgramCodePort.ReleasedVersion target = port().releasedVersions(appId).stream()
            .filter(v -> v.appVersion() == appVersion).findFirst()
            .orElseThrow(() -> new IllegalStateException("app_version " + appVersion + " of " + appId
                + " is no longer in the platform's history"));
        if (target.userVersion().equals(port().versionInfo(appId).releaseVersion())) {
            log.info("{}: version {} (app_version {}) is online already, not reverting", appId, target.userVersion(),
                appVersion);
            return "ONLINE_AT_CHOSEN";
        }
        port().revertCodeRelease(appId, appVersion);
        return "REVERTED_TO_CHOSEN";
    }

    /**
     * Sets the full privacy guide, then reads it back: the platform keeps what it accepted, and a guide that differs
     * (a field dropped or changed on the way) is an error with the differences, raised as an incident.
     */
    public void applyPrivacyGuide(String appId, PrivacyGuide guide) {
        port().setPrivacyGuide(appId, guide);
        java.util.List<String> differences = guide.differencesFrom(port().privacyGuide(appId));
        if (!differences.isEmpty()) {
            throw new IllegalStateException("the privacy guide of " + appId + " reads back differently: "
                + String.join("; ", differences));
        }
    }

    private MiniProgramCodePort port() {
        return platform;
    }
}
