package io.miniflow.app;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The keys of an app (seed 004), managed by the admins of its workspace: made by Miniflow, the secret shown once,
 * rotated with an overlap in which the old key still works ({@link AppKeySettings#rotationOverlap()}), revoked at
 * once. An app has at most one current key of each kind; every change is in the audit log.
 */
@Service
public class AppKeyService {

    static final String AUDIT_TYPE = "app-key";
    private static final int SECRET_BYTES = 32;
    private static final int ID_BYTES = 8;

    private final AppRepository apps;
    private final AppKeyStore store;
    private final WorkspaceAccess access;
    private final AppKeySettings settings;
    private final AuditLog audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    AppKeyService(AppRepository apps, AppKeyStore store, WorkspaceAccess access, AppKeySettings settings,
                  AuditLog audit, Clock clock) {
        this.apps = apps;
        this.store = store;
        this.access = access;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The app's keys, a page at a time, for its workspace's admins; {@code text} searches key ids and kinds. */
    public KeysView keys(CurrentUser user, String appCode, String text, PageRequest page) {
        App app = requireAdminOf(user, appCode);
        return new KeysView(app, store.list(app.id(), text, page), Instant.now(clock), settings);
    }

    /** The first key of a kind, or a new one after the last was revoked: 409 while a current key exists (rotate it). */
    @Transactional
    public NewAppKey create(CurrentUser user, String appCode, String kindText) {
        AppKeyKind kind = AppKeyKind.parse(kindText);
        if (kind == null) {
            throw MiniflowException.badRequest("appKey.kind.invalid", String.valueOf(kindText));
        }
        App app = requireAdminOf(user, appCode);
        store.lockApp(app.id());
        store.current(app.id(), kind).ifPresent(k -> {
            throw MiniflowException.conflict("appKey.exists", kind, appCode, k.keyId());
        });
        Instant now = Instant.now(clock);
        NewAppKey key = newKey(app, kind, user, now, null, null);
        audit.record(user.username(), "APP_KEY_CREATED", AUDIT_TYPE, key.keyId(), app.workspace(),
            appCode + " " + kind);
        return key;
    }

    /**
     * A new key in place of a current one; the old key works until now + the overlap, so the SDKs and build machines
     * can move over. Only a current key can be rotated (409 for a rotated or revoked one).
     */
    @Transactional
    public NewAppKey rotate(CurrentUser user, String appCode, String keyId) {
        App app = requireAdminOf(user, appCode);
        store.lockApp(app.id());
        AppKey old = requireKey(app, keyId);
        if (old.revokedAt() != null || old.replacedBy() != null) {
            throw MiniflowException.conflict("appKey.notCurrent", keyId);
        }
        Instant now = Instant.now(clock);
        Instant until = now.plus(settings.rotationOverlap());
        String newId = newId(old.kind());
        if (!store.markReplaced(old.keyId(), newId, until)) {
            throw MiniflowException.conflict("appKey.notCurrent", keyId);
        }
        NewAppKey key = newKey(app, old.kind(), user, now, newId, old.keyId(), until);
        audit.record(user.username(), "APP_KEY_ROTATED", AUDIT_TYPE, old.keyId(), app.workspace(),
            appCode + " " + old.kind() + " -> " + newId + ", old key valid until " + until);
        return key;
    }

    /** Stops the key at once (also a rotated one still in its overlap); 409 when it is revoked already. */
    @Transactional
    public AppKey revoke(CurrentUser user, String appCode, String keyId) {
        App app = requireAdminOf(user, appCode);
        AppKey key = requireKey(app, keyId);
        if (key.revokedAt() != null || !store.revoke(key.keyId(), user.username(), Instant.now(clock))) {
            throw MiniflowException.conflict("appKey.alreadyRevoked", keyId);
        }
        audit.record(user.username(), "APP_KEY_REVOKED", AUDIT_TYPE, key.keyId(), app.workspace(),
            appCode + " " + key.kind());
        return store.find(app.id(), keyId).orElseThrow();
    }

    /** Whether the app's page offers the keys: the same people {@link #keys} lets in. */
    public boolean mayManage(CurrentUser user, String workspace) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.isActiveAdmin(user.username(), workspace);
    }

    private NewAppKey newKey(App app, AppKeyKind kind, CurrentUser user, Instant now, String previousId,
                             Instant previousUntil) {
        return newKey(app, kind, user, now, newId(kind), previousId, previousUntil);
    }

    /** keyId: the kind's prefix + 16 hex characters; secret: 32 random bytes, base64url without padding (43 chars). */
    private NewAppKey newKey(App app, AppKeyKind kind, CurrentUser user, Instant now, String keyId, String previousId,
                             Instant previousUntil) {
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(SECRET_BYTES));
        store.insert(keyId, app.id(), kind, secret, user.username(), now);
        return new NewAppKey(keyId, kind, secret, now, previousId, previousUntil);
    }

    private String newId(AppKeyKind kind) {
        return kind.prefix + HexFormat.of().formatHex(randomBytes(ID_BYTES));
    }

    private App requireAdminOf(CurrentUser user, String appCode) {
        App app = apps.findApp(appCode == null ? "" : appCode)
            .orElseThrow(() -> MiniflowException.notFound("app.notFound", appCode));
        access.requireAdmin(user, app.workspace());
        return app;
    }

    private AppKey requireKey(App app, String keyId) {
        return store.find(app.id(), keyId == null ? "" : keyId)
            .orElseThrow(() -> MiniflowException.notFound("appKey.notFound", keyId, app.appCode()));
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A page of keys with the time their states were read at, so that the page and the list agree. */
    public record KeysView(App app, PageResult<AppKey> keys, Instant now, AppKeySettings settings) {
    }
}
