package io.miniflow.app;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.crypto.EncryptedColumns;
import io.miniflow.shared.crypto.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * mf_app_key: the apps' keys with their secret encrypted by {@link SecretBox}; the plain secret comes back from
 * {@link #findSigning} only, for checking a signature. Listed as an encrypted column so that the start-up
 * re-encryption moves the secrets along when the master key rotates.
 */
@Repository
class AppKeyStore implements EncryptedColumns {

    /** A key with its plain secret. {@code toString()} leaves the secret out. */
    record SigningKey(AppKey key, long appId, String secret) {
        @Override
        public String toString() {
            return "SigningKey[keyId=" + key.keyId() + ", appId=" + appId + "]";
        }
    }

    private static final List<Column> ENCRYPTED = List.of(new Column("mf_app_key", "secret"));
    private static final String COLUMNS = "SELECT key_id, app_id, kind, secret, created_by, created_at, replaced_by,"
        + " expires_at, revoked_at, revoked_by, last_used_at FROM mf_app_key";

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    AppKeyStore(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public List<Column> encryptedColumns() {
        return ENCRYPTED;
    }

    void insert(String keyId, long appId, AppKeyKind kind, String secret, String createdBy, Instant createdAt) {
        jdbc.sql("INSERT INTO mf_app_key (key_id, app_id, kind, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
            .params(keyId, appId, kind.name(), secrets.encrypt(secret), createdBy, Timestamp.from(createdAt))
            .update();
    }

    /** Locks the app's row until the transaction ends: two creations or rotations cannot both see no current key. */
    void lockApp(long appId) {
        jdbc.sql("SELECT id FROM mf_app WHERE id = ? FOR UPDATE").param(appId).query(Long.class).list();
    }

    /** The app's key of this kind that is neither rotated nor revoked (at most one: the service keeps it so). */
    Optional<AppKey> current(long appId, AppKeyKind kind) {
        return jdbc.sql(COLUMNS + " WHERE app_id = ? AND kind = ? AND revoked_at IS NULL AND replaced_by IS NULL")
            .params(appId, kind.name()).query(AppKeyStore::key).optional();
    }

    Optional<AppKey> find(long appId, String keyId) {
        return jdbc.sql(COLUMNS + " WHERE app_id = ? AND key_id = ?").params(appId, keyId).query(AppKeyStore::key)
            .optional();
    }

    /** The key with its plain secret, whatever its state: the caller decides whether it may still sign. */
    Optional<SigningKey> findSigning(String keyId) {
        return jdbc.sql(COLUMNS + " WHERE key_id = ?").param(keyId)
            .query((rs, i) -> new SigningKey(key(rs, i), rs.getLong("app_id"), secrets.decrypt(rs.getString("secret"))))
            .optional();
    }

    /** One page of the app's keys, newest first; {@code text} matches the key id or kind. */
    PageResult<AppKey> list(long appId, String text, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE app_id = ?");
        List<Object> params = new ArrayList<>(List.of(appId));
        if (text != null && !text.isBlank()) {
            where.append(" AND (LOWER(key_id) LIKE ? OR LOWER(kind) LIKE ?)");
            String like = "%" + text.trim().toLowerCase() + "%";
            params.add(like);
            params.add(like);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_app_key" + where).params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(page.size());
        pageParams.add(page.offset());
        List<AppKey> items = jdbc.sql(COLUMNS + where + " ORDER BY created_at DESC, key_id LIMIT ? OFFSET ?")
            .params(pageParams).query(AppKeyStore::key).list();
        return new PageResult<>(items, page, total);
    }

    /** True when this call rotated it (false: rotated or revoked meanwhile). */
    boolean markReplaced(String keyId, String replacedBy, Instant expiresAt) {
        return jdbc.sql("UPDATE mf_app_key SET replaced_by = ?, expires_at = ? WHERE key_id = ? AND replaced_by IS NULL"
                + " AND revoked_at IS NULL")
            .params(replacedBy, Timestamp.from(expiresAt), keyId).update() == 1;
    }

    /** True when this call revoked it (false: it was revoked already). */
    boolean revoke(String keyId, String revokedBy, Instant at) {
        return jdbc.sql("UPDATE mf_app_key SET revoked_at = ?, revoked_by = ? WHERE key_id = ? AND revoked_at IS NULL")
            .params(Timestamp.from(at), revokedBy, keyId).update() == 1;
    }

    void touch(String keyId, Instant at) {
        jdbc.sql("UPDATE mf_app_key SET last_used_at = ? WHERE key_id = ?").params(Timestamp.from(at), keyId).update();
    }

    /** For deleting an app: its keys go with it. */
    void deleteOfApp(long appId) {
        jdbc.sql("DELETE FROM mf_app_key WHERE app_id = ?").param(appId).update();
    }

    private static AppKey key(ResultSet rs, int row) throws SQLException {
        return new AppKey(rs.getString("key_id"), AppKeyKind.valueOf(rs.getString("kind")), rs.getString("created_by"),
            instant(rs.getTimestamp("created_at")), rs.getString("replaced_by"), instant(rs.getTimestamp("expires_at")),
            instant(rs.getTimestamp("revoked_at")), rs.getString("revoked_by"), instant(rs.getTimestamp("last_used_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
