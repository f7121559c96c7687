package io.miniflow.openapi;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.miniflow.shared.crypto.EncryptedColumns;
import io.miniflow.shared.crypto.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * mf_openapi_key: team keys with their secret encrypted by {@link SecretBox}; the plain secret comes back from
 * {@link #findActive} only, for checking a signature. Listed as an encrypted column so the start-up re-encryption
 * moves the secrets along when the master key rotates.
 */
@Repository
class OpenApiKeyStore implements EncryptedColumns {

    /** A key that may sign requests now, with its plain secret. {@code toString()} leaves the secret out. */
    record ActiveKey(String appId, String workspace, String secret) {
        @Override
        public String toString() {
            return "ActiveKey[appId=" + appId + ", workspace=" + workspace + "]";
        }
    }

    private static final List<Column> ENCRYPTED = List.of(new Column("mf_openapi_key", "secret"));

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    OpenApiKeyStore(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public List<Column> encryptedColumns() {
        return ENCRYPTED;
    }

    void insert(String appId, String workspace, String secret, String createdBy, Instant createdAt) {
        jdbc.sql("INSERT INTO mf_openapi_key (app_id, workspace, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?)")
            .params(appId, workspace, secrets.encrypt(secret), createdBy, Timestamp.from(createdAt))
            .update();
    }

    /**
     * Locks the workspace's row until the transaction ends, so two creations on any nodes cannot both see one
     * active key and make three.
     */
    void lockWorkspace(String workspace) {
        jdbc.sql("SELECT id FROM mf_workspace WHERE name = ? FOR UPDATE").param(workspace).query(Long.class).list();
    }

    /**
     * A locking read: it sees what was committed up to now, not the transaction's snapshot (on MySQL, REPEATABLE READ
     * takes that at the first read, before {@link #lockWorkspace} waited for another creation to commit).
     */
    int countActiveForUpdate(String workspace) {
        return jdbc.sql("SELECT app_id FROM mf_openapi_key WHERE workspace = ? AND revoked_at IS NULL FOR UPDATE")
            .param(workspace).query(String.class).list().size();
    }

    List<OpenApiKey> list(String workspace) {
        return jdbc.sql("SELECT app_id, workspace, created_by, created_at, last_used_at, revoked_at, revoked_by"
                + " FROM mf_openapi_key WHERE workspace = ? ORDER BY created_at DESC, app_id")
            .param(workspace).query(OpenApiKeyStore::key).list();
    }

    Optional<OpenApiKey> find(String workspace, String appId) {
        return jdbc.sql("SELECT app_id, workspace, created_by, created_at, last_used_at, revoked_at, revoked_by"
                + " FROM mf_openapi_key WHERE workspace = ? AND app_id = ?")
            .params(workspace, appId).query(OpenApiKeyStore::key).optional();
    }

    /** The key if it exists and is not revoked: read at every request, so a revocation holds from the next one. */
    Optional<ActiveKey> findActive(String appId) {
        return jdbc.sql("SELECT app_id, workspace, secret FROM mf_openapi_key WHERE app_id = ? AND revoked_at IS NULL")
            .param(appId)
            .query((rs, i) -> new ActiveKey(rs.getString("app_id"), rs.getString("workspace"),
                secrets.decrypt(rs.getString("secret"))))
            .optional();
    }

    /** The workspace's newest key that is not revoked, with its plain secret: what Miniflow signs webhooks with. */
    Optional<ActiveKey> newestActive(String workspace) {
        return jdbc.sql("SELECT app_id, workspace, secret FROM mf_openapi_key WHERE workspace = ? AND revoked_at IS NULL"
                + " ORDER BY created_at DESC, app_id LIMIT 1")
            .param(workspace)
            .query((rs, i) -> new ActiveKey(rs.getString("app_id"), rs.getString("workspace"),
                secrets.decrypt(rs.getString("secret"))))
            .optional();
    }

    /** True when this call revoked it (false: it was revoked already). */
    boolean revoke(String appId, String revokedBy, Instant at) {
        return jdbc.sql("UPDATE mf_openapi_key SET revoked_at = ?, revoked_by = ? WHERE app_id = ? AND revoked_at IS NULL")
            .params(Timestamp.from(at), revokedBy, appId).update() == 1;
    }

    void touch(String appId, Instant at) {
        jdbc.sql("UPDATE mf_openapi_key SET last_used_at = ? WHERE app_id = ?").params(Timestamp.from(at), appId)
            .update();
    }

    private static OpenApiKey key(ResultSet rs, int row) throws SQLException {
        return new OpenApiKey(rs.getString("app_id"), rs.getString("workspace"), rs.getString("created_by"),
            instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("last_used_at")),
            instant(rs.getTimestamp("revoked_at")), rs.getString("revoked_by"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
