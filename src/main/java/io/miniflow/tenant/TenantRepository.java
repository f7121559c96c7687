package io.miniflow.tenant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** mf_tenant, mf_tenant_app, mf_tenant_binding, mf_tenant_preauth and mf_tenant_webhook (V41__tenants.sql). */
@Repository
class TenantRepository {

    private final JdbcClient jdbc;

    TenantRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- tenants

    long insertTenant(String workspace, String tenantCode, String name, String contact, String notifyUrl,
                      String requestHash, String openedBy, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mf_tenant (workspace, tenant_code, name, contact, status, notify_url, request_hash,"
                + " opened_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(workspace, tenantCode, name, contact, TenantStatus.OPENING.name(), notifyUrl, requestHash, openedBy,
                Timestamp.from(now), Timestamp.from(now))
            .update(key, "id");
        return key.getKey().longValue();
    }

    Optional<Tenant> findTenant(String workspace, String tenantCode) {
        return jdbc.sql("SELECT * FROM mf_tenant WHERE workspace = ? AND tenant_code = ?").params(workspace, tenantCode)
            .query(this::mapTenant).optional();
    }

    Optional<Tenant> findTenantById(long id) {
        return jdbc.sql("SELECT * FROM mf_tenant WHERE id = ?").param(id).query(this::mapTenant).optional();
    }

    /** Locks the tenant's row until the transaction ends: status changes from several tenant apps take turns. */
    void lockTenant(long id) {
        jdbc.sql("SELECT id FROM mf_tenant WHERE id = ? FOR UPDATE").param(id).query(Long.class).list();
    }

    void setTenantStatus(long id, TenantStatus status, String errorCode, Instant now) {
        jdbc.sql("UPDATE mf_tenant SET status = ?, error_code = ?, updated_at = ? WHERE id = ?")
            .params(status.name(), errorCode, Timestamp.from(now), id).update();
    }

    /** Tenants of these workspaces, newest first; text matches code, name or a bound mini program's appid. */
    PageResult<Tenant> search(Collection<String> workspaces, String text, TenantStatus status, PageRequest page) {
        if (workspaces.isEmpty()) {
            return new PageResult<>(List.of(), page, 0);
        }
        StringBuilder where = new StringBuilder(" WHERE t.workspace IN (")
            .append(String.join(", ", workspaces.stream().map(w -> "?").toList())).append(")");
        List<Object> args = new ArrayList<>(workspaces);
        if (status != null) {
            where.append(" AND t.status = ?");
            args.add(status.name());
        }
        if (text != null && !text.isBlank()) {
            String like = "%" + text.trim().toLowerCase(Locale.ROOT) + "%";
            where.append(" AND (LOWER(t.tenant_code) LIKE ? OR LOWER(t.name) LIKE ? OR EXISTS (SELECT 1 FROM"
                + " mf_tenant_app a WHERE a.tenant_id = t.id AND (LOWER(a.mini_program_app_id) LIKE ?"
                + " OR LOWER(a.tenant_app_code) LIKE ?)))");
            args.addAll(List.of(like, like, like, like));
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_tenant t" + where).params(args).query(Long.class).single();
        args.add(page.size());
        args.add(page.offset());
        return new PageResult<>(jdbc.sql("SELECT t.* FROM mf_tenant t" + where + " ORDER BY t.id DESC LIMIT ? OFFSET ?")
            .params(args).query(this::mapTenant).list(), page, total);
    }

    // --- tenant apps

    long insertApp(long tenantId, String workspace, String tenantAppCode, String appCode, String envCode,
                   Long templateId, String extJson, String requestHash, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mf_tenant_app (tenant_id, workspace, tenant_app_code, app_code, env_code, template_id,"
                + " ext_json, stage, request_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(tenantId, workspace, tenantAppCode, appCode, envCode, templateId, extJson,
                TenantAppStage.CREATED.name(), requestHash, Timestamp.from(now), Timestamp.from(now))
            .update(key, "id");
        return key.getKey().longValue();
    }

    /** Locks the tenant app's row until the transaction ends (the authorization's two paths take turns). */
    void lockApp(long id) {
        jdbc.sql("SELECT id FROM mf_tenant_app WHERE id = ? FOR UPDATE").param(id).query(Long.class).list();
    }

    Optional<TenantApp> findApp(String workspace, String tenantAppCode) {
        return jdbc.sql("SELECT * FROM mf_tenant_app WHERE workspace = ? AND tenant_app_code = ?")
            .params(workspace, tenantAppCode).query(this::mapApp).optional();
    }

    Optional<TenantApp> findAppById(long id) {
        return jdbc.sql("SELECT * FROM mf_tenant_app WHERE id = ?").param(id).query(this::mapApp).optional();
    }

    Optional<TenantApp> findAppByBusinessId(String businessId) {
        return jdbc.sql("SELECT * FROM mf_tenant_app WHERE business_id = ?").param(businessId).query(this::mapApp)
            .optional();
    }

    List<TenantApp> appsOf(long tenantId) {
        return jdbc.sql("SELECT * FROM mf_tenant_app WHERE tenant_id = ? ORDER BY id").param(tenantId)
            .query(this::mapApp).list();
    }

    void setProcessInstance(long appId, String processInstanceId, Instant now) {
        jdbc.sql("UPDATE mf_tenant_app SET process_instance_id = ?, updated_at = ? WHERE id = ?")
            .params(processInstanceId, Timestamp.from(now), appId).update();
    }

    /** The stage, and the reason when it is FAILED (cleared otherwise). */
    void setStage(long appId, TenantAppStage stage, String errorCode, List<String> errorArgs, Instant now) {
        String args = errorArgs == null || errorArgs.isEmpty() ? null : String.join("|", errorArgs);
        jdbc.sql("UPDATE mf_tenant_app SET stage = ?, error_code = ?, error_args = ?, updated_at = ? WHERE id = ?")
            .params(stage.name(), errorCode, args, Timestamp.from(now), appId).update();
    }

    void setCreatedFrom(long appId, String version, Instant now) {
        jdbc.sql("UPDATE mf_tenant_app SET created_from = ?, updated_at = ? WHERE id = ?")
            .params(version, Timestamp.from(now), appId).update();
    }

    void setLink(long appId, String businessId, Instant expiresAt, Instant now) {
        jdbc.sql("UPDATE mf_tenant_app SET business_id = ?, link_expires_at = ?, updated_at = ? WHERE id = ?")
            .params(businessId, expiresAt == null ? null : Timestamp.from(expiresAt), Timestamp.from(now), appId)
            .update();
    }

    void setMiniProgram(long appId, String miniProgramAppId, Instant now) {
        jdbc.sql("UPDATE mf_tenant_app SET mini_program_app_id = ?, updated_at = ? WHERE id = ?")
            .params(miniProgramAppId, Timestamp.from(now), appId).update();
    }

    void setReleasedVersion(long appId, String version, Instant now) {
        jdbc.sql("UPDATE mf_tenant_app SET released_version = ?, updated_at = ? WHERE id = ?")
            .params(version, Timestamp.from(now), appId).update();
    }

    // --- bindings: one tenant app per mini program

    /** False when the mini program is bound to another tenant app already (binding it again to this one is true). */
    boolean bind(String miniProgramAppId, long tenantAppId, Instant now) {
        Optional<Long> current = boundTo(miniProgramAppId);
        if (current.isPresent()) {
            return current.get() == tenantAppId;
        }
        try {
            jdbc.sql("INSERT INTO mf_tenant_binding (mini_program_app_id, tenant_app_id, bound_at) VALUES (?, ?, ?)")
                .params(miniProgramAppId, tenantAppId, Timestamp.from(now)).update();
            return true;
        } catch (DuplicateKeyException raced) {
            return boundTo(miniProgramAppId).map(id -> id == tenantAppId).orElse(false);
        }
    }

    Optional<Long> boundTo(String miniProgramAppId) {
        return jdbc.sql("SELECT tenant_app_id FROM mf_tenant_binding WHERE mini_program_app_id = ?")
            .param(miniProgramAppId).query(Long.class).optional();
    }

    void unbind(String miniProgramAppId, long tenantAppId) {
        jdbc.sql("DELETE FROM mf_tenant_binding WHERE mini_program_app_id = ? AND tenant_app_id = ?")
            .params(miniProgramAppId, tenantAppId).update();
    }

    // --- pre_auth_codes handed out for links

    void rememberPreAuth(String codeHash, String businessId, Instant now) {
        jdbc.sql("INSERT INTO mf_tenant_preauth (code_hash, business_id, created_at) VALUES (?, ?, ?)")
            .params(codeHash, businessId, Timestamp.from(now)).update();
    }

    Optional<String> businessIdOfPreAuth(String codeHash) {
        return jdbc.sql("SELECT business_id FROM mf_tenant_preauth WHERE code_hash = ?").param(codeHash)
            .query(String.class).optional();
    }

    int forgetPreAuthBefore(Instant before) {
        return jdbc.sql("DELETE FROM mf_tenant_preauth WHERE created_at < ?").param(Timestamp.from(before)).update();
    }

    // --- webhooks

    void insertWebhook(long tenantAppId, String deliveryId, String event, String url, Instant now) {
        jdbc.sql("INSERT INTO mf_tenant_webhook (tenant_app_id, delivery_id, event, url, status, attempts, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)")
            .params(tenantAppId, deliveryId, event, url, TenantWebhook.Status.PENDING.name(), Timestamp.from(now),
                Timestamp.from(now))
            .update();
    }

    Optional<TenantWebhook> findWebhook(String deliveryId) {
        return jdbc.sql("SELECT * FROM mf_tenant_webhook WHERE delivery_id = ?").param(deliveryId)
            .query(this::mapWebhook).optional();
    }

    void recordAttempt(String deliveryId, TenantWebhook.Status status, Integer httpStatus, String error, Instant now) {
        jdbc.sql("UPDATE mf_tenant_webhook SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?,"
                + " updated_at = ? WHERE delivery_id = ?")
            .params(status.name(), httpStatus, error, Timestamp.from(now), deliveryId).update();
    }

    /** An operator asked for another go at a delivery that gave up: its attempts count from zero again. */
    void restartWebhook(String deliveryId, Instant now) {
        jdbc.sql("UPDATE mf_tenant_webhook SET status = ?, attempts = 0, updated_at = ? WHERE delivery_id = ?")
            .params(TenantWebhook.Status.PENDING.name(), Timestamp.from(now), deliveryId).update();
    }

    List<TenantWebhook> webhooksOf(long tenantAppId) {
        return jdbc.sql("SELECT * FROM mf_tenant_webhook WHERE tenant_app_id = ? ORDER BY id").param(tenantAppId)
            .query(this::mapWebhook).list();
    }

    // --- rows

    private Tenant mapTenant(ResultSet rs, int row) throws SQLException {
        return new Tenant(rs.getLong("id"), rs.getString("workspace"), rs.getString("tenant_code"),
            rs.getString("name"), rs.getString("contact"), TenantStatus.valueOf(rs.getString("status")),
            rs.getString("error_code"), rs.getString("notify_url"), rs.getString("request_hash"),
            rs.getString("opened_by"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private TenantApp mapApp(ResultSet rs, int row) throws SQLException {
        long template = rs.getLong("template_id");
        Long templateId = rs.wasNull() ? null : template;
        return new TenantApp(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("workspace"),
            rs.getString("tenant_app_code"), rs.getString("app_code"), rs.getString("env_code"),
            rs.getString("created_from"), templateId, rs.getString("ext_json"),
            TenantAppStage.valueOf(rs.getString("stage")), rs.getString("error_code"), rs.getString("error_args"),
            rs.getString("business_id"), instant(rs, "link_expires_at"), rs.getString("mini_program_app_id"),
            rs.getString("released_version"), rs.getString("process_instance_id"), rs.getString("request_hash"),
            instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private TenantWebhook mapWebhook(ResultSet rs, int row) throws SQLException {
        int status = rs.getInt("last_status");
        Integer lastStatus = rs.wasNull() ? null : status;
        return new TenantWebhook(rs.getLong("id"), rs.getLong("tenant_app_id"), rs.getString("delivery_id"),
            rs.getString("event"), rs.getString("url"), TenantWebhook.Status.valueOf(rs.getString("status")),
            rs.getInt("attempts"), lastStatus, rs.getString("last_error"),
            instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
