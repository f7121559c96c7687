package io.miniflow.openapi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Team keys of a workspace: created and revoked by its admins, listed to its members, never with the secret after
 * creation. At most {@link #MAX_ACTIVE} active keys, so a SaaS platform can roll over to a new key before revoking
 * the old one. Every creation, revocation and use is in the audit log.
 */
@Service
public class OpenApiKeyService {

    static final int MAX_ACTIVE = 2;
    static final String AUDIT_TYPE = "openapi-key";
    private static final int SECRET_BYTES = 32;
    private static final int APP_ID_BYTES = 8;

    private final OpenApiKeyStore store;
    private final WorkspaceAccess access;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    OpenApiKeyService(OpenApiKeyStore store, WorkspaceAccess access, AuditLog audit, Clock clock) {
        this.store = store;
        this.access = access;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * appId {@code mf} + 16 hex characters (64 random bits: unique in practice, and the primary key catches the rest);
     * appSecret 32 random bytes as base64url without padding (43 characters), the HMAC key as its UTF-8 text.
     */
    @Transactional
    public NewOpenApiKey create(CurrentUser user, String workspace) {
        String name = access.requireAdmin(user, workspace).name();
        store.lockWorkspace(name);
        if (store.countActiveForUpdate(name) >= MAX_ACTIVE) {
            throw MiniflowException.conflict("openapi.key.tooMany", name, MAX_ACTIVE);
        }
        String appId = "mf" + HexFormat.of().formatHex(randomBytes(APP_ID_BYTES));
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(SECRET_BYTES));
        store.insert(appId, name, secret, user.username(), Instant.now(clock));
        audit.record(user.username(), "openapi.key.created", AUDIT_TYPE, appId, name, null);
        return new NewOpenApiKey(appId, secret);
    }

    /** Whether the page offers creating and revoking: the same people {@link WorkspaceAccess#requireAdmin} lets in. */
    public boolean mayManage(CurrentUser user, String workspace) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.isActiveAdmin(user.username(), workspace);
    }

    public List<OpenApiKey> list(CurrentUser user, String workspace) {
        return store.list(access.requireMember(user, workspace).name());
    }

    /** Takes effect at the next request (keys are read at every request). Revoking a revoked key changes nothing. */
    @Transactional
    public void revoke(CurrentUser user, String workspace, String appId) {
        String name = access.requireAdmin(user, workspace).name();
        store.find(name, appId).orElseThrow(() -> MiniflowException.notFound("openapi.key.notFound", appId, name));
        if (store.revoke(appId, user.username(), Instant.now(clock))) {
            audit.record(user.username(), "openapi.key.revoked", AUDIT_TYPE, appId, name, null);
        }
    }

    /** An accepted signed request: the key's last use and an audit entry (the path without its query string). */
    @Transactional
    void recordUse(OpenApiClient client, String method, String path) {
        store.touch(client.appId(), Instant.now(clock));
        audit.record(client.appId(), "openapi.call", AUDIT_TYPE, client.appId(), client.workspace(),
            method + " " + path);
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
