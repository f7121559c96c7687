package io.miniflow.sandbox.wechat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** The emulated platform's tables ({@code sandbox_wechat_*}). */
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

    WechatSandboxStore(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    // --- tokens and one-time codes ---

    void insertToken(String token, String kind, String appId, Instant expiresAt) {
        jdbc.sql("INSERT INTO sandbox_wechat_token (token, kind, app_id, expires_at) VALUES (?, ?, ?, ?)")
            .params(token, kind, appId, Timestamp.from(expiresAt)).update();
    }

    Optional<Token> token(String token) {
        return jdbc.sql("SELECT token, kind, app_id, expires_at FROM sandbox_wechat_token WHERE token = ?")
            .param(token)
            .query((rs, n) -> new Token(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)))
            .optional();
    }

    int expireTokens(String appId, Instant now) {
        if (appId == null) {
            return jdbc.sql("UPDATE sandbox_wechat_token SET expires_at = ? WHERE expires_at > ?")
                .params(Timestamp.from(now), Timestamp.from(now)).update();
        }
        return jdbc.sql("UPDATE sandbox_wechat_token SET expires_at = ? WHERE app_id = ? AND expires_at > ?")
            .params(Timestamp.from(now), appId, Timestamp.from(now)).update();
    }

    void deleteTokensExpiredBefore(Instant cutoff) {
        jdbc.sql("DELETE FROM sandbox_wechat_token WHERE expires_at < ?").param(Timestamp.from(cutoff)).update();
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

    void insertAuthorizer(Authorizer a, AppState state) {
        jdbc.sql("INSERT INTO sandbox_wechat_authorizer (app_id, nick_name, user_name, refresh_token, status, "
                + "auth_time, state_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .params(a.appId(), a.nickName(), a.userName(), a.refreshToken(), a.status(), Timestamp.from(a.authTime()),
                write(state))
            .update();
    }

    Optional<Authorizer> authorizer(String appId) {
        return jdbc.sql("SELECT app_id, nick_name, user_name, refresh_token, status, auth_time "
                + "FROM sandbox_wechat_authorizer WHERE app_id = ?")
            .param(appId).query(this::mapAuthorizer).optional();
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

    void updateAuthorization(String appId, String refreshToken, String status, Instant authTime) {
        jdbc.sql("UPDATE sandbox_wechat_authorizer SET refresh_token = ?, status = ?, auth_time = ? WHERE app_id = ?")
            .params(refreshToken, status, Timestamp.from(authTime), appId).update();
    }

    void setStatus(String appId, String status) {
        jdbc.sql("UPDATE sandbox_wechat_authorizer SET status = ? WHERE app_id = ?").params(status, appId).update();
    }

    AppState state(String appId) {
        String text = jdbc.sql("SELECT state_json FROM sandbox_wechat_authorizer WHERE app_id = ?")
            .param(appId).query(String.class).single();
        try {
            return json.readValue(text, AppState.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable sandbox state of " + appId, e);
        }
    }

    void saveState(String appId, AppState state) {
        jdbc.sql("UPDATE sandbox_wechat_authorizer SET state_json = ? WHERE app_id = ?")
            .params(write(state), appId).update();
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
        return keys.getKey().longValue();
    }

    Optional<Audit> audit(long auditId) {
        return jdbc.sql(AUDIT_SELECT + " WHERE audit_id = ?").param(auditId).query(this::mapAudit).optional();
    }

    Optional<Audit> latestAudit(String appId) {
        return jdbc.sql(AUDIT_SELECT + " WHERE app_id = ? ORDER BY audit_id DESC LIMIT 1").param(appId)
            .query(this::mapAudit).optional();
    }

    List<Audit> dueAudits(Instant now, int limit) {
        return jdbc.sql(AUDIT_SELECT + " WHERE status IN (2, 4) AND decide_at <= ? ORDER BY decide_at LIMIT ?")
            .params(Timestamp.from(now), limit).query(this::mapAudit).list();
    }

    /** Changes an audit's state only if it still has the expected status (the scheduler and undo may race). */
    boolean updateAudit(long auditId, int expectedStatus, int status, String reason, String screenshot,
                        Instant decideAt, boolean delayPushed) {
        return jdbc.sql("UPDATE sandbox_wechat_audit SET status = ?, reason = ?, screenshot = ?, decide_at = ?, "
                + "delay_pushed = ? WHERE audit_id = ? AND status = ?")
            .params(status, reason, screenshot, Timestamp.from(decideAt), delayPushed, auditId, expectedStatus)
            .update() == 1;
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

    void countCall(String api, String appId, boolean repeat) {
        int r = repeat ? 1 : 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = jdbc.sql("UPDATE sandbox_wechat_stat SET calls = calls + 1, repeats = repeats + ? "
                    + "WHERE api = ? AND app_id = ?").params(r, api, appId).update();
            if (updated == 1) {
                return;
            }
            try {
                jdbc.sql("INSERT INTO sandbox_wechat_stat (api, app_id, calls, repeats) VALUES (?, ?, 1, ?)")
                    .params(api, appId, r).update();
                return;
            } catch (DuplicateKeyException raced) {
                // another call inserted the row first: update it on the next turn
            }
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
