package io.miniflow.wechat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.miniflow.shared.crypto.EncryptedColumns;
import io.miniflow.shared.crypto.SecretBox;
import io.miniflow.shared.crypto.SecretBoxException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Miniflow's WeChat tables: the verify ticket, cached tokens with their refresh lease, authorizers, received pushes.
 * The ticket, the access tokens and the refresh tokens are written encrypted ({@link SecretBox}) and come back in
 * plain text from here only; rows written in plain text before encryption are read as they are until the start-up
 * re-encryption has moved them. The records' {@code toString()} leave the secrets out, since records end up in logs.
 */
@Repository
public class WechatStore implements EncryptedColumns {

    public record Ticket(String ticket, Instant receivedAt) {
        @Override
        public String toString() {
            return "Ticket[receivedAt=" + receivedAt + "]";
        }
    }

    /** {@code token} is null when there is none, or when the stored one does not decrypt (it is then fetched anew). */
    public record CachedToken(String token, Instant expiresAt, Instant leaseUntil) {
        @Override
        public String toString() {
            return "CachedToken[" + (token == null ? "none" : "set") + ", expiresAt=" + expiresAt + ", leaseUntil="
                + leaseUntil + "]";
        }
    }

    public record AuthorizerRecord(String appId, String status, String refreshToken, String nickName, String userName,
                                   String principalName, String funcInfo, String businessId, Instant authorizedAt,
                                   Instant updatedAt) {
        public boolean authorized() {
            return "AUTHORIZED".equals(status);
        }

        @Override
        public String toString() {
            return "AuthorizerRecord[appId=" + appId + ", status=" + status + ", refreshToken="
                + (refreshToken == null ? "none" : "set") + ", nickName=" + nickName + ", userName=" + userName
                + ", businessId=" + businessId + ", authorizedAt=" + authorizedAt + ", updatedAt=" + updatedAt + "]";
        }
    }

    private static final Logger log = LoggerFactory.getLogger(WechatStore.class);
    static final List<Column> ENCRYPTED = List.of(new Column("mf_wechat_ticket", "ticket"),
        new Column("mf_wechat_token", "token"), new Column("mf_wechat_authorizer", "refresh_token"));

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    WechatStore(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public List<Column> encryptedColumns() {
        return ENCRYPTED;
    }

    /**
     * Where a value that no longer decrypts can count as missing: tickets and access tokens are fetched anew. The
     * reason is logged, never the value.
     */
    private String decryptOrNull(String stored, String what) {
        try {
            return secrets.decryptIfEncrypted(stored);
        } catch (SecretBoxException e) {
            log.warn("Stored WeChat {} ignored: {}", what, e.getMessage());
            return null;
        }
    }

    // --- ticket ---

    /** Keeps the newest ticket: an older push replayed late does not replace a newer ticket. */
    public void saveTicket(String componentAppId, String ticket, Instant createdAt) {
        String sealed = secrets.encrypt(ticket);
        int updated = jdbc.sql("UPDATE mf_wechat_ticket SET ticket = ?, received_at = ? "
                + "WHERE component_app_id = ? AND received_at <= ?")
            .params(sealed, Timestamp.from(createdAt), componentAppId, Timestamp.from(createdAt)).update();
        if (updated == 0 && jdbc.sql("SELECT COUNT(*) FROM mf_wechat_ticket WHERE component_app_id = ?")
                .param(componentAppId).query(Integer.class).single() == 0) {
            try {
                jdbc.sql("INSERT INTO mf_wechat_ticket (component_app_id, ticket, received_at) VALUES (?, ?, ?)")
                    .params(componentAppId, sealed, Timestamp.from(createdAt)).update();
            } catch (DuplicateKeyException raced) {
                saveTicket(componentAppId, ticket, createdAt);
            }
        }
    }

    /** Empty when none was received, or when the stored one cannot be decrypted (the platform is asked anew). */
    public Optional<Ticket> ticket(String componentAppId) {
        return jdbc.sql("SELECT ticket, received_at FROM mf_wechat_ticket WHERE component_app_id = ?")
            .param(componentAppId)
            .query((rs, n) -> new Ticket(decryptOrNull(rs.getString(1), "ticket"), instant(rs, 2)))
            .optional().filter(t -> t.ticket() != null);
    }

    // --- tokens ---

    public Optional<CachedToken> token(String kind, String appId) {
        return jdbc.sql("SELECT token, expires_at, lease_until FROM mf_wechat_token WHERE kind = ? AND app_id = ?")
            .params(kind, appId)
            .query((rs, n) -> new CachedToken(decryptOrNull(rs.getString(1), kind + " token of " + appId),
                instant(rs, 2), instant(rs, 3))).optional();
    }

    /**
     * Takes the refresh lease of a token row (creating the row if needed) unless another node holds an unexpired one.
     * The conditional update is the lock: exactly one node wins it.
     */
    public boolean tryLease(String kind, String appId, String owner, Instant now, Instant until) {
        if (token(kind, appId).isEmpty()) {
            try {
                jdbc.sql("INSERT INTO mf_wechat_token (kind, app_id) VALUES (?, ?)").params(kind, appId).update();
            } catch (DuplicateKeyException raced) {
                // another node created it; compete for the lease below
            }
        }
        return jdbc.sql("UPDATE mf_wechat_token SET lease_until = ?, lease_owner = ? WHERE kind = ? AND app_id = ? "
                + "AND (lease_until IS NULL OR lease_until < ?)")
            .params(Timestamp.from(until), owner, kind, appId, Timestamp.from(now)).update() == 1;
    }

    public void storeToken(String kind, String appId, String token, Instant expiresAt, String owner) {
        String sealed = secrets.encrypt(token);
        int updated = jdbc.sql("UPDATE mf_wechat_token SET token = ?, expires_at = ?, lease_until = NULL, "
                + "lease_owner = NULL WHERE kind = ? AND app_id = ?")
            .params(sealed, Timestamp.from(expiresAt), kind, appId).update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO mf_wechat_token (kind, app_id, token, expires_at) VALUES (?, ?, ?, ?)")
                    .params(kind, appId, sealed, Timestamp.from(expiresAt)).update();
            } catch (DuplicateKeyException raced) {
                storeToken(kind, appId, token, expiresAt, owner);
            }
        }
    }

    public void releaseLease(String kind, String appId, String owner) {
        jdbc.sql("UPDATE mf_wechat_token SET lease_until = NULL, lease_owner = NULL WHERE kind = ? AND app_id = ? "
            + "AND lease_owner = ?").params(kind, appId, owner).update();
    }

    /**
     * Drops a token WeChat rejected, so the next use fetches a new one; a newer token another node stored meanwhile
     * stays. Encryption gives every write a different text, so the stored text is compared after decryption and
     * then used as the condition of the update.
     */
    public void forgetToken(String kind, String appId, String token) {
        Optional<String> stored = jdbc.sql("SELECT token FROM mf_wechat_token WHERE kind = ? AND app_id = ? "
            + "AND token IS NOT NULL").params(kind, appId).query(String.class).optional();
        if (stored.isEmpty()) {
            return;
        }
        String current = decryptOrNull(stored.get(), kind + " token of " + appId);
        if (current == null || current.equals(token)) { // one that no longer decrypts is of no use either
            jdbc.sql("UPDATE mf_wechat_token SET token = NULL, expires_at = NULL WHERE kind = ? AND app_id = ? "
                + "AND token = ?").params(kind, appId, stored.get()).update();
        }
    }

    public List<String[]> tokensExpiringBefore(Instant when) {
        return jdbc.sql("SELECT kind, app_id FROM mf_wechat_token WHERE token IS NOT NULL AND expires_at < ?")
            .param(Timestamp.from(when)).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list();
    }

    public Optional<Instant> componentTokenExpiry(String componentAppId) {
        return token("COMPONENT", componentAppId).map(CachedToken::expiresAt);
    }

    // --- authorizers ---

    public void upsertAuthorizer(String appId, String status, String refreshToken, Instant authorizedAt, Instant now) {
        String sealed = secrets.encrypt(refreshToken);
        int updated = jdbc.sql("UPDATE mf_wechat_authorizer SET status = ?, refresh_token = COALESCE(?, refresh_token), "
                + "authorized_at = COALESCE(?, authorized_at), updated_at = ? WHERE app_id = ?")
            .params(status, sealed, ts(authorizedAt), Timestamp.from(now), appId).update();
        if (updated == 0) {
            try {
                jdbc.sql("INSERT INTO mf_wechat_authorizer (app_id, status, refresh_token, authorized_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?)").params(appId, status, sealed, ts(authorizedAt), Timestamp.from(now))
                    .update();
            } catch (DuplicateKeyException raced) {
                upsertAuthorizer(appId, status, refreshToken, authorizedAt, now);
            }
        }
    }

    public void updateAuthorizerInfo(String appId, String nickName, String userName, String principalName,
                                     String funcInfo, Instant now) {
        jdbc.sql("UPDATE mf_wechat_authorizer SET nick_name = ?, user_name = ?, principal_name = ?, func_info = ?, "
                + "updated_at = ? WHERE app_id = ?")
            .params(nickName, userName, principalName, funcInfo, Timestamp.from(now), appId).update();
    }

    public void bindBusiness(String appId, String businessId, Instant now) {
        jdbc.sql("UPDATE mf_wechat_authorizer SET business_id = ?, updated_at = ? WHERE app_id = ?")
            .params(businessId, Timestamp.from(now), appId).update();
    }

    /** With its refresh token; one that does not decrypt fails here with the reason (SecretBoxException). */
    public Optional<AuthorizerRecord> authorizer(String appId) {
        return jdbc.sql(AUTHORIZER_SELECT + " WHERE app_id = ?").param(appId).query(this::mapAuthorizer).optional();
    }

    public Optional<AuthorizerRecord> authorizerByUserName(String userName) {
        return jdbc.sql(AUTHORIZER_SELECT + " WHERE user_name = ?").param(userName).query(this::mapListed)
            .optional();
    }

    /**
     * A page of authorizers whose appid, name or business id contains the search text (any case), without their
     * refresh tokens.
     */
    public List<AuthorizerRecord> authorizers(String search, int offset, int limit) {
        String like = "%" + (search == null ? "" : search.toLowerCase(java.util.Locale.ROOT)) + "%";
        return jdbc.sql(AUTHORIZER_SELECT + " WHERE LOWER(app_id) LIKE ? OR LOWER(COALESCE(nick_name, '')) LIKE ? "
                + "OR LOWER(COALESCE(business_id, '')) LIKE ? ORDER BY updated_at DESC, app_id LIMIT ? OFFSET ?")
            .params(like, like, like, limit, offset).query(this::mapListed).list();
    }

    public int countAuthorizers(String search) {
        String like = "%" + (search == null ? "" : search.toLowerCase(java.util.Locale.ROOT)) + "%";
        return jdbc.sql("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE LOWER(app_id) LIKE ? "
                + "OR LOWER(COALESCE(nick_name, '')) LIKE ? OR LOWER(COALESCE(business_id, '')) LIKE ?")
            .params(like, like, like).query(Integer.class).single();
    }

    public int countAuthorized() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE status = 'AUTHORIZED'").query(Integer.class)
            .single();
    }

    // --- pushes ---

    /** Records a push once; false when the same push was already recorded (a replay). */
    public boolean recordPush(String dedupeKey, String infoType, String appId, Instant at, String body) {
        try {
            jdbc.sql("INSERT INTO mf_wechat_push (dedupe_key, info_type, app_id, received_at, body) VALUES (?, ?, ?, ?, ?)")
                .params(dedupeKey, infoType, appId, Timestamp.from(at), body).update();
            return true;
        } catch (DuplicateKeyException replay) {
            return false;
        }
    }

    public void forgetPush(String dedupeKey) {
        jdbc.sql("DELETE FROM mf_wechat_push WHERE dedupe_key = ?").param(dedupeKey).update();
    }

    public int countPushes(String infoType) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_wechat_push WHERE info_type = ?").param(infoType)
            .query(Integer.class).single();
    }

    private static final String AUTHORIZER_SELECT = "SELECT app_id, status, refresh_token, nick_name, user_name, "
        + "principal_name, func_info, business_id, authorized_at, updated_at FROM mf_wechat_authorizer";

    /**
     * For the token manager: a refresh token that does not decrypt is an error, not a missing value, so the message
     * (which names the master key id) goes up to the caller and becomes the incident.
     */
    private AuthorizerRecord mapAuthorizer(ResultSet rs, int n) throws SQLException {
        return map(rs, secrets.decryptIfEncrypted(rs.getString(3)));
    }

    /**
     * For lists and look-ups by name, which have no use for the refresh token: it stays encrypted and out of the
     * record (null), so it never reaches a page model, and a row that does not decrypt cannot break the console page.
     */
    private AuthorizerRecord mapListed(ResultSet rs, int n) throws SQLException {
        return map(rs, null);
    }

    private static AuthorizerRecord map(ResultSet rs, String refreshToken) throws SQLException {
        return new AuthorizerRecord(rs.getString(1), rs.getString(2), refreshToken, rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), instant(rs, 9), instant(rs, 10));
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
