package io.miniflow.release;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory stand-in for the platform's code management, for process tests only: it keeps what a real platform
 * keeps (committed and released versions, audits, gray percentage) and counts the calls that create something, so
 * a test can prove nothing was done twice. Integration tests use the HTTP sandbox instead.
 */
class FakeMiniProgramPlatform implements MiniProgramCodePort {

    static class App {
        String committed;
        String released;
        String previousReleased;
        int gray;
        AuditState audit;
        int commits;
        int submits;
        int releases;
        int grayCalls;
        int reverts;
        int domainCalls;
        int privacyCalls;
        int speedUps;
        /** How many of the next privacy settings fail with a technical error (the platform busy). */
        int privacyFailures;
        final Deque<PlatformRefusal> nextSubmitRefusals = new ArrayDeque<>();
    }

    private final Map<String, App> apps = new HashMap<>();
    private long nextAuditId = 1000;

    App app(String appId) {
        return apps.computeIfAbsent(appId, id -> new App());
    }

    /** Decides the running audit, as WeChat's reviewers would. */
    void decideAudit(String appId, AuditStatus status, String reason) {
        AuditState a = app(appId).audit;
        app(appId).audit = new AuditState(a.auditId(), status, reason, List.of(), a.userVersion());
    }

    @Override
    public VersionInfo versionInfo(String appId) {
        return new VersionInfo(app(appId).committed, app(appId).released);
    }

    @Override
    public void commit(String appId, long templateId, String extJson, String userVersion, String userDesc) {
        app(appId).commits++;
        app(appId).committed = userVersion;
    }

    @Override
    public void configureDomains(String appId, DomainSettings domains) {
        app(appId).domainCalls++;
    }

    @Override
    public void setPrivacySetting(String appId, PrivacySettings privacy) {
        App app = app(appId);
        if (app.privacyFailures > 0) {
            app.privacyFailures--;
            throw new IllegalStateException("-1 system busy");
        }
        app.privacyCalls++;
    }

    @Override
    public long submitAudit(String appId, String versionDesc, String feedback) {
        App app = app(appId);
        if (!app.nextSubmitRefusals.isEmpty()) {
            throw app.nextSubmitRefusals.poll();
        }
        app.submits++;
        app.audit = new AuditState(nextAuditId++, AuditStatus.UNDER_REVIEW, null, List.of(), app.committed);
        return app.audit.auditId();
    }

    @Override
    public AuditState latestAudit(String appId) {
        return app(appId).audit;
    }

    @Override
    public PlatformRefusal auditRunning(AuditState running) {
        return new PlatformRefusal(PlatformRefusal.Kind.MUST_WAIT, "85009 audit " + running.auditId() + " running");
    }

    @Override
    public Optional<String> grayReleaseRefusal(String appId) {
        return app(appId).released == null ? Optional.of("85079 no online version, cannot gray release")
            : Optional.empty();
    }

    @Override
    public void release(String appId) {
        App app = app(appId);
        app.releases++;
        app.previousReleased = app.released;
        app.released = app.audit.userVersion();
        app.gray = 0;
    }

    @Override
    public void grayRelease(String appId, int percentage) {
        App app = app(appId);
        if (app.released == null) {
            throw new IllegalStateException("85079 no online version, cannot gray release");
        }
        if (percentage <= app.gray) {
            throw new IllegalStateException("85082 gray percentage must rise");
        }
        app.grayCalls++;
        app.gray = percentage;
    }

    @Override
    public int grayPercentage(String appId) {
        return app(appId).gray;
    }

    @Override
    public void revertCodeRelease(String appId) {
        App app = app(appId);
        app.reverts++;
        app.released = app.previousReleased;
    }

    @Override
    public void revertGrayRelease(String appId) {
        app(appId).reverts++;
        app(appId).gray = 0;
    }

    List<String> appIds() {
        return new ArrayList<>(apps.keySet());
    }

    @Override
    public AuditQuota auditQuota(String anyAppId) {
        return new AuditQuota(quotaRemaining, 20);
    }

    int quotaRemaining = 20;

    @Override
    public List<ReleasedVersion> releasedVersions(String appId) {
        return List.of();
    }

    @Override
    public void revertCodeRelease(String appId, int appVersion) {
        app(appId).reverts++;
    }

    @Override
    public void setPrivacyGuide(String appId, PrivacyGuide guide) {
        app(appId).privacyCalls++;
    }

    @Override
    public PrivacyGuide privacyGuide(String appId) {
        throw new UnsupportedOperationException("no privacy guide in the fake platform");
    }

    @Override
    public void undoAudit(String appId) {
        App app = app(appId);
        app.audit = new AuditState(app.audit.auditId(), AuditStatus.WITHDRAWN, null, List.of(), app.audit.userVersion());
    }

    /** The platform's answer to the next speed-ups (its quota used up), or null to accept them. */
    RuntimeException speedUpRefusal;

    @Override
    public void speedUpAudit(String appId, long auditId) {
        if (speedUpRefusal != null) {
            throw speedUpRefusal;
        }
        app(appId).speedUps++;
    }

    @Override
    public PlatformQuotas quotas(String anyAppId) {
        return new PlatformQuotas(quotaRemaining, 20, 10, 10);
    }

    @Override
    public void changeService(String appId, boolean open) {
        app(appId);
    }

    @Override
    public boolean serviceOpen(String appId) {
        return true;
    }
}
