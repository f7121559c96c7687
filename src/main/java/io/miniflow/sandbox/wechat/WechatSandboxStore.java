package io.miniflow.sandbox.wechat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/**
 * The emulated platform's tables ({@code sandbox_wechat_*}). Tokens, authorizers, the mini programs' states and their
 * latest audits are read on nearly every call, so they are also kept in memory: the emulator runs on one node and
 * every change goes through here, written to the table and to memory alike; the tables are what a restart starts
 * from.
 */
@Repository
class WechatSandboxStore {

    record Token(String token, String kind, String appId, Instant expiresAt) {
    }

    record Authorizer(String appId, String nickName, String userName, String refreshToken, String status,
                      Instant authTime) {
        boolean authorized() {
            return "AUTHORIZED".equals(status);
        }
    }

    record Draft(long draftId, String userVersion, String userDesc, Instant createTime) {
    }

    record Template(long templateId, long draftId, String userVersion, String userDesc, int templateType,
                    Instant createTime) {
    }

    record Audit(long auditId, String appId, String userVersion, String userDesc, String versionDesc, int status,
                 String reason, String screenshot, Instant submittedAt, Instant decideAt, String planned,
                 String plannedReason, boolean delayPushed) {
    }

    record Rule(long id, String outcome, String appId, String descContains, String reason) {
    }

    record Stat(String api, String appId, long calls, long repeats) {
    }

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final Map<String, Authorizer> authorizers = new ConcurrentHashMap<>();
    private final Map<String, AppState> states = new ConcurrentHashMap<>();
    // read from the table when needed, dropped whenever an audit of the app changes
    private final Map<String, Optional<Audit>> latestAudits = new ConcurrentHashMap<>();

    WechatSandboxStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
        jdbc.sql("SELECT token, kind, app_id, expires_at FROM sandbox_wechat_token")
            .query((rs, n) -> new Token(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)))
            .list().forEach(t -> tokens.put(t.token(), t));
        jdbc.sql("SELECT app_id, nick_name, user_name, refresh_token, status, auth_time FROM sandbox_wechat_authorizer")
            .query(this::mapAuthorizer).list().forEach(a -> authorizers.put(a.appId(), a));
    }

    // --- tokens and one-time codes ---

    synchronized void insertToken(String token, String kind, String appId, Instant expiresAt) {
        jdbc.sql("INSERT INTO sandbox_wechat_token (token, kind, app_id, expires_at) VALUES (?, ?, ?, ?)")
            .params(token, kind, appId, Timestamp.from(expiresAt)).update();
        tokens.put(token, new Token(token, kind, appId, expiresAt));
    }

    Optional<Token> token(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    /** Every token (of one app, or all when appId is null) expires now; how many did. */
    synchronized int expireTokens(String appId, Instant now) {
        int expired = appId == null
            ? jdbc.sql("UPDATE sandbox_wechat_token SET expires_at = ? WHERE expires_at > ?")
                .params(Timestamp.from(now), Timestamp.from(now)).update()
            : jdbc.sql("UPDATE sandbox_wechat_token SET expires_at = ? WHERE app_id = ? AND expires_at > ?")
                .params(Timestamp.from(now), appId, Timestamp.from(now)).update();
        tokens.replaceAll((token, t) -> (appId == null || appId.equals(t.appId())) && t.expiresAt().isAfter(now)
            ? new Token(token, t.kind(), t.appId(), now) : t);
        return expired;
    }

    synchronized void deleteTokensExpiredBefore(Instant cutoff) {
        jdbc.sql("DELETE FROM sandbox_wechat_token WHERE expires_at < ?").param(Timestamp.from(cutoff)).update();
        tokens.values().removeIf(t -> t.expiresAt().isBefore(cutoff));
    }

    void insertCode(String code, String kind, String appId, Instant expiresAt) {
        jdbc.sql("INSERT INTO sandbox_wechat_code (code, kind, app_id, expires_at, used) VALUES (?, ?, ?, ?, FALSE)")
            .params(code, kind, appId, Timestamp.from(expiresAt)).update();
    }

    /** Marks a code used; empty when it does not exist, is of another kind, is expired or was already used. */
    Optional<String> useCode(String code, String kind, Instant now) {
        Optional<String> appId = jdbc.sql("SELECT app_id FROM sandbox_wechat_code WHERE code = ? AND kind = ? "
                + "AND used = FALSE AND expires_at > ?")
            .params(code, kind, Timestamp.from(now)).query((rs, n) -> String.valueOf(rs.getString(1))).optional();
        if (appId.isEmpty()) {
            return Optional.empty();
        }
        int updated = jdbc.sql("UPDATE sandbox_wechat_code SET used = TRUE WHERE code = ? AND used = FALSE")
            .param(code).update();
        return updated == 1 ? appId : Optional.empty();
    }

    /** A code that stays valid until it expires, however often it is redeemed. */
    Optional<String> useCodeReusable(String code, String kind, Instant now) {
        return jdbc.sql("SELECT app_id FROM sandbox_wechat_code WHERE code = ? AND kind = ? AND expires_at > ?")
            .params(code, kind, Timestamp.from(now)).query((rs, n) -> String.valueOf(rs.getString(1))).optional();
    }

    // --- authorizers ---

    synchronized void insertAuthorizer(Authorizer a, AppState state) {
        jdbc.sql("INSERT INTO sandbox_wechat_authorizer (app_id, nick_name, user_name, refresh_token, status, "
                + "auth_time, state_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .params(a.appId(), a.nickName(), a.userName(), a.refreshToken(), a.status(), Timestamp.from(a.authTime()),
                write(state))
            .update();
        authorizers.put(a.appId(), a);
        states.put(a.appId(), state);
    }

    Optional<Authorizer> authorizer(String appId) {
        return Optional.ofNullable(authorizers.get(appId));
    }

    Optional<Authorizer> authorizerByRefreshToken(String refreshToken) {
        return jdbc.sql("SELECT app_id, nick_name, user_name, refresh_token, status, auth_time "
                + "FROM sandbox_wechat_authorizer WHERE refresh_token = ?")
            .param(refreshToken).query(this::mapAuthorizer).optional();
    }

    List<Authorizer> authorizers(int offset, int count, boolean authorizedOnly) {
        return jdbc.sql("SELECT app_id, nick_name, user_name, refresh_token, status, auth_time "
                + "FROM sandbox_wechat_authorizer" + (authorizedOnly ? " WHERE status = 'AUTHORIZED'" : "")
                + " ORDER BY auth_time, app_id LIMIT ? OFFSET ?")
            .params(count, offset).query(this::mapAuthorizer).list();
    }

    int countAuthorizers(boolean authorizedOnly) {
        return jdbc.sql("SELECT COUNT(*) FROM sandbox_wechat_authorizer"
                + (authorizedOnly ? " WHERE status = 'AUTHORIZED'" : "")).query(Integer.class).single();
    }

    synchronized void updateAuthorization(String appId, String refreshToken, String status, Instant authTime) {
        jdbc.sql("UPDATE sandbox_wechat_authorizer SET refresh_token = ?, status = ?, auth_time = ? WHERE app_id = ?")
            .params(refreshToken, status, Timestamp.from(authTime), appId).update();
        authorizers.computeIfPresent(appId, (id, a) -> new Authorizer(id, a.nickName(), a.userName(), refreshToken,
            status, authTime));
    }

    synchronized void setStatus(String appId, String status) {
        jdbc.sql("UPDATE sandbox_wechat_authorizer SET status = ? WHERE app_id = ?").params(status, appId).update();
        authorizers.computeIfPresent(appId, (id, a) -> new Authorizer(id, a.nickName(), a.userName(),
            a.refreshToken(), status, a.authTime()));
    }

    /**
     * The mini program's state: the one object in memory that the platform reads and changes under the app's lock,
     * read from the table the first time it is needed.
     */
    AppState state(String appId) {
        return states.computeIfAbsent(appId, this::readState);
    }

    void saveState(String appId, AppState state) {
        jdbc.sql("UPDATE sandbox_wechat_authorizer SET state_json = ? WHERE app_id = ?")
            .params(write(state), appId).update();
        states.put(appId, state);
    }

    /** Drops the state in memory (a change that failed half-way): the next use reads the saved one. */
    void forgetState(String appId) {
        states.remove(appId);
    }

    private AppState readState(String appId) {
        String text = jdbc.sql("SELECT state_json FROM sandbox_wechat_authorizer WHERE app_id = ?")
            .param(appId).query(String.class).single();
        try {
            return json.readValue(text, AppState.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable sandbox state of " + appId, e);
        }
    }

    // --- template library ---

    long insertDraft(String userVersion, String userDesc, Instant at) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO sandbox_wechat_draft (user_version, user_desc, create_time) VALUES (?, ?, ?)")
            .params(userVersion, userDesc, Timestamp.from(at)).update(keys, "draft_id");
        return keys.getKey().longValue();
    }

    List<Draft> drafts() {
        return jdbc.sql("SELECT draft_id, user_version, user_desc, create_time FROM sandbox_wechat_draft ORDER BY draft_id")
            .query((rs, n) -> new Draft(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4))).list();
    }

    Optional<Draft> draft(long draftId) {
        return jdbc.sql("SELECT draft_id, user_version, user_desc, create_time FROM sandbox_wechat_draft WHERE draft_id = ?")
            .param(draftId)
            .query((rs, n) -> new Draft(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4))).optional();
    }

    long insertTemplate(Draft draft, int type, Instant at) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO sandbox_wechat_template (draft_id, user_version, user_desc, template_type, create_time) "
                + "VALUES (?, ?, ?, ?, ?)")
            .params(draft.draftId(), draft.userVersion(), draft.userDesc(), type, Timestamp.from(at))
            .update(keys, "template_id");
        return keys.getKey().longValue();
    }

    List<Template> templates(Integer type) {
        return jdbc.sql("SELECT template_id, draft_id, user_version, user_desc, template_type, create_time "
                + "FROM sandbox_wechat_template" + (type == null ? "" : " WHERE template_type = " + type.intValue())
                + " ORDER BY template_id")
            .query(this::mapTemplate).list();
    }

    Optional<Template> template(long templateId) {
        return jdbc.sql("SELECT template_id, draft_id, user_version, user_desc, template_type, create_time "
                + "FROM sandbox_wechat_template WHERE template_id = ?").param(templateId).query(this::mapTemplate)
            .optional();
    }

    int countTemplates(int type) {
        return jdbc.sql("SELECT COUNT(*) FROM sandbox_wechat_template WHERE template_type = ?").param(type)
            .query(Integer.class).single();
    }

    boolean deleteTemplate(long templateId) {
        return jdbc.sql("DELETE FROM sandbox_wechat_template WHERE template_id = ?").param(templateId).update() == 1;
    }

    // --- audits ---

    long insertAudit(String appId, String userVersion, String userDesc, String versionDesc, Instant submittedAt,
                     Instant decideAt, String planned, String plannedReason) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO sandbox_wechat_audit (app_id, user_version, user_desc, version_desc, status, submitted_at, "
                + "decide_at, planned, planned_reason, delay_pushed) VALUES (?, ?, ?, ?, 2, ?, ?, ?, ?, FALSE)")
            .params(appId, userVersion, userDesc, versionDesc, Timestamp.from(submittedAt), Timestamp.from(decideAt),
                planned, plannedReason)
            .update(keys, "audit_id");
        latestAudits.remove(appId);
        return keys.getKey().longValue();
    }

    Optional<Audit> audit(long auditId) {
        return jdbc.sql(AUDIT_SELECT + " WHERE audit_id = ?").param(auditId).query(this::mapAudit).optional();
    }

    Optional<Audit> latestAudit(String appId) {
        return latestAudits.computeIfAbsent(appId, id -> jdbc.sql(AUDIT_SELECT
                + " WHERE app_id = ? ORDER BY audit_id DESC LIMIT 1").param(id).query(this::mapAudit).optional());
    }

    List<Audit> dueAudits(Instant now, int limit) {
        return jdbc.sql(AUDIT_SELECT + " WHERE status IN (2, 4) AND decide_at <= ? ORDER BY decide_at LIMIT ?")
            .params(Timestamp.from(now), limit).query(this::mapAudit).list();
    }

    /** Changes an audit's state only if it still has the status it had when read (the scheduler and undo may race). */
    boolean updateAudit(Audit audit, int status, String reason, String screenshot, Instant decideAt,
                        boolean delayPushed) {
        boolean updated = jdbc.sql("UPDATE sandbox_wechat_audit SET status = ?, reason = ?, screenshot = ?, "
                + "decide_at = ?, delay_pushed = ? WHERE audit_id = ? AND status = ?")
            .params(status, reason, screenshot, Timestamp.from(decideAt), delayPushed, audit.auditId(), audit.status())
            .update() == 1;
        latestAudits.remove(audit.appId());
        return updated;
    }

    private static final String AUDIT_SELECT = "SELECT audit_id, app_id, user_version, user_desc, version_desc, status, "
        + "reason, screenshot, submitted_at, decide_at, planned, planned_reason, delay_pushed FROM sandbox_wechat_audit";

    // --- rules ---

    List<Rule> rules() {
        return jdbc.sql("SELECT id, outcome, app_id, desc_contains, reason FROM sandbox_wechat_rule ORDER BY id")
            .query((rs, n) -> new Rule(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5)))
            .list();
    }

    long insertRule(String outcome, String appId, String descContains, String reason) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO sandbox_wechat_rule (outcome, app_id, desc_contains, reason) VALUES (?, ?, ?, ?)")
            .params(outcome, appId, descContains, reason).update(keys, "id");
        return keys.getKey().longValue();
    }

    void deleteRules() {
        jdbc.sql("DELETE FROM sandbox_wechat_rule").update();
    }

    // --- call statistics ---

    /** Saves one row of counts (see {@link WechatSandboxStats}, which counts in memory). */
    void saveStat(Stat stat) {
        int updated = jdbc.sql("UPDATE sandbox_wechat_stat SET calls = ?, repeats = ? WHERE api = ? AND app_id = ?")
            .params(stat.calls(), stat.repeats(), stat.api(), stat.appId()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO sandbox_wechat_stat (api, app_id, calls, repeats) VALUES (?, ?, ?, ?)")
                .params(stat.api(), stat.appId(), stat.calls(), stat.repeats()).update();
        }
    }

    List<Stat> stats() {
        return jdbc.sql("SELECT api, app_id, calls, repeats FROM sandbox_wechat_stat ORDER BY api, app_id")
            .query((rs, n) -> new Stat(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4))).list();
    }

    void resetStats() {
        jdbc.sql("DELETE FROM sandbox_wechat_stat").update();
    }

    private Authorizer mapAuthorizer(ResultSet rs, int n) throws SQLException {
        return new Authorizer(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            instant(rs, 6));
    }

    private Template mapTemplate(ResultSet rs, int n) throws SQLException {
        return new Template(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5),
            instant(rs, 6));
    }

    private Audit mapAudit(ResultSet rs, int n) throws SQLException {
        return new Audit(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getInt(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10), rs.getString(11),
            rs.getString(12), rs.getBoolean(13));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private String write(AppState state) {
        try {
            return json.writeValueAsString(state);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
