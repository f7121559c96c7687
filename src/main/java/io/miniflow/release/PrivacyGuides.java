package io.miniflow.release;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * The privacy guides (mf_privacy_guide): an app's default for its tenants' mini programs, and a mini program's own,
 * which wins. The guide a release sets is {@link #effective}; a mini program with neither keeps what worked before
 * (its privacy contact e-mail from the settings page, with the platform's standard texts).
 */
@Service
public class PrivacyGuides {

    static final String APP = "APP";
    static final String MINI_PROGRAM = "MINI_PROGRAM";

    private final JdbcClient jdbc;
    private final MiniProgramAccess miniPrograms;
    private final MiniProgramOwners owners;
    private final WorkspaceAccess access;
    private final AuditLog auditLog;
    private final Clock clock;

    PrivacyGuides(JdbcClient jdbc, MiniProgramAccess miniPrograms, MiniProgramOwners owners, WorkspaceAccess access,
                  AuditLog auditLog, Clock clock) {
        this.jdbc = jdbc;
        this.miniPrograms = miniPrograms;
        this.owners = owners;
        this.access = access;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Where a mini program's guide comes from. */
    public enum Source { MINI_PROGRAM, APP, NONE }

    public record Effective(Source source, PrivacyGuide guide) {
    }

    /** The guide a release of this mini program sets: its own, else its app's default, else none. */
    public Effective effective(String appId) {
        Optional<PrivacyGuide> own = find(MINI_PROGRAM, appId);
        if (own.isPresent()) {
            return new Effective(Source.MINI_PROGRAM, own.get());
        }
        return owners.ofMiniProgram(appId).flatMap(o -> find(APP, o.appCode()))
            .map(g -> new Effective(Source.APP, g)).orElse(new Effective(Source.NONE, null));
    }

    /** The page's and the API's view: the effective guide, where it comes from, and both levels. */
    public Map<String, Object> view(CurrentUser user, String appId) {
        miniPrograms.requireViewer(user, appId);
        Effective effective = effective(appId);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("appId", appId);
        view.put("source", effective.source().name());
        view.put("guide", effective.guide());
        view.put("miniProgramGuide", find(MINI_PROGRAM, appId).orElse(null));
        Optional<MiniProgramOwners.Owner> owner = owners.ofMiniProgram(appId);
        view.put("appCode", owner.map(MiniProgramOwners.Owner::appCode).orElse(null));
        view.put("appGuide", owner.flatMap(o -> find(APP, o.appCode())).orElse(null));
        return view;
    }

    /** Sets the mini program's own guide (it overrides its app's); checked in full first. */
    @Transactional
    public void saveForMiniProgram(CurrentUser user, String appId, PrivacyGuide guide) {
        Optional<String> workspace = miniPrograms.requireChanger(user, appId);
        requireGuide(guide).validate();
        upsert(MINI_PROGRAM, appId, guide, user);
        auditLog.record(user.username(), "PRIVACY_GUIDE_SET", "mini-program", appId, workspace.orElse(null),
            "own guide");
    }

    /** Removes the mini program's own guide: its app's default applies again. */
    @Transactional
    public boolean removeForMiniProgram(CurrentUser user, String appId) {
        Optional<String> workspace = miniPrograms.requireChanger(user, appId);
        boolean removed = jdbc.sql("DELETE FROM mf_privacy_guide WHERE scope = ? AND scope_key = ?")
            .params(MINI_PROGRAM, appId).update() > 0;
        if (removed) {
            auditLog.record(user.username(), "PRIVACY_GUIDE_REMOVED", "mini-program", appId, workspace.orElse(null),
                "own guide removed");
        }
        return removed;
    }

    public Map<String, Object> viewForApp(CurrentUser user, String appCode) {
        access.requireMember(user, workspaceOfApp(appCode));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("appCode", appCode);
        view.put("guide", find(APP, appCode).orElse(null));
        return view;
    }

    /** Sets an app's default guide, for its tenants' mini programs without one of their own. */
    @Transactional
    public void saveForApp(CurrentUser user, String appCode, PrivacyGuide guide) {
        String workspace = workspaceOfApp(appCode);
        access.requireRole(user, workspace, ReleaseBatchService.RELEASERS, "miniProgram.notAllowed");
        requireGuide(guide).validate();
        upsert(APP, appCode, guide, user);
        auditLog.record(user.username(), "PRIVACY_GUIDE_SET", "app", appCode, workspace, "app default");
    }

    private String workspaceOfApp(String appCode) {
        if (appCode == null || !appCode.matches("[A-Za-z0-9_-]{1,50}")) {
            throw MiniflowException.badRequest("privacy.appCode.pattern");
        }
        return owners.workspaceOfApp(appCode)
            .orElseThrow(() -> MiniflowException.notFound("privacy.appCode.unknown", appCode));
    }

    private static PrivacyGuide requireGuide(PrivacyGuide guide) {
        if (guide == null) {
            throw MiniflowException.badRequest("error.body.unreadable");
        }
        return guide;
    }

    private void upsert(String scope, String key, PrivacyGuide guide, CurrentUser user) {
        Timestamp now = Timestamp.from(Instant.now(clock));
        String json = guide.toJson();
        if (jdbc.sql("UPDATE mf_privacy_guide SET guide_json = ?, updated_by = ?, updated_at = ? WHERE scope = ?"
                + " AND scope_key = ?").params(json, user.username(), now, scope, key).update() == 0) {
            jdbc.sql("INSERT INTO mf_privacy_guide (scope, scope_key, guide_json, updated_by, updated_at)"
                + " VALUES (?, ?, ?, ?, ?)").params(scope, key, json, user.username(), now).update();
        }
    }

    private Optional<PrivacyGuide> find(String scope, String key) {
        return jdbc.sql("SELECT guide_json FROM mf_privacy_guide WHERE scope = ? AND scope_key = ?")
            .params(scope, key).query(String.class).optional().map(PrivacyGuide::fromJson);
    }
}
