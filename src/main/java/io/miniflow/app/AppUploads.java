package io.miniflow.app;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;

import io.miniflow.app.AppKeyStore.SigningKey;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Versions uploaded with an app's Upload Key (docs/api.md "Signed upload"): no person logs in; the signature over the
 * bundle's SHA-256, the timestamp and what is uploaded where says that the holder of the key sent it. Checks run from
 * the cheapest on and everything is checked before anything is written, in one transaction: a refusal (4xx) leaves no
 * version, no bundle and no recorded signature.
 */
@Service
public class AppUploads {

    private static final String SHA256_REGEX = "[0-9a-f]{64}";
    private static final String SIGNATURE_REGEX = "[A-Za-z0-9+/]{43}=";
    private static final String KEY_ID_REGEX = "[a-z]{2}[0-9a-f]{16}";

    private final AppRepository apps;
    private final AppKeyStore keys;
    private final AppUploadStore uploads;
    private final AppKeySettings settings;
    private final AuditLog audit;
    private final Clock clock;

    AppUploads(AppRepository apps, AppKeyStore keys, AppUploadStore uploads, AppKeySettings settings, AuditLog audit,
               Clock clock) {
        this.apps = apps;
        this.keys = keys;
        this.uploads = uploads;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
    }

    /** The headers as sent; {@code toString()} leaves the signature out, as refusals are logged. */
    public record Credentials(String keyId, String timestamp, String sha256, String signature) {
        @Override
        public String toString() {
            return "Credentials[key=" + keyId + ", timestamp=" + timestamp + "]";
        }
    }

    public record Uploaded(String appCode, String environment, String version, long versionId, VersionStatus status,
                           String sha256, long sizeBytes, String keyId, Instant uploadedAt) {
    }

    @Transactional
    public Uploaded upload(String appCode, String envCode, String version, String note, Credentials credentials,
                           long contentLength, InputStream body) throws IOException {
        if (credentials.keyId() == null || !credentials.keyId().matches(KEY_ID_REGEX)
            || credentials.timestamp() == null || !credentials.timestamp().matches("[0-9]{1,12}")
            || credentials.sha256() == null || !credentials.sha256().matches(SHA256_REGEX)
            || credentials.signature() == null || !credentials.signature().matches(SIGNATURE_REGEX)) {
            throw MiniflowException.badRequest("appUpload.headers");
        }
        if (envCode == null || !envCode.matches(Codes.CODE_REGEX)) {
            throw MiniflowException.badRequest("app.envCode.pattern");
        }
        if (!Codes.isSemver(version)) {
            throw MiniflowException.badRequest("app.version.format", String.valueOf(version));
        }
        String cleanNote = note == null || note.isBlank() ? null : note.trim();
        if (cleanNote != null && cleanNote.length() > 500) {
            throw MiniflowException.badRequest("app.note.size");
        }
        Instant now = Instant.now(clock);
        long timestamp = Long.parseLong(credentials.timestamp());
        // Milliseconds: no rounding gap between the window and how long signatures are remembered.
        if (Math.abs(now.toEpochMilli() - timestamp * 1000) > settings.uploadWindow().toMillis()) {
            throw refused("appUpload.timestampExpired", settings.uploadWindow().toSeconds());
        }
        App app = apps.findApp(appCode).orElseThrow(() -> MiniflowException.notFound("app.notFound", appCode));
        SigningKey key = keys.findSigning(credentials.keyId())
            .filter(k -> k.appId() == app.id() && k.key().kind() == AppKeyKind.UPLOAD)
            .orElseThrow(() -> refused("appUpload.keyUnknown", credentials.keyId(), appCode));
        switch (key.key().stateAt(now)) {
            case REVOKED -> throw refused("appUpload.keyRevoked", credentials.keyId());
            case EXPIRED -> throw refused("appUpload.keyExpired", credentials.keyId(), key.key().expiresAt());
            default -> { }
        }
        long max = settings.maxBundleSize().toBytes();
        if (contentLength > max) {
            throw tooLarge(max);
        }
        byte[] bundle = body.readNBytes((int) max + 1);
        if (bundle.length > max) {
            throw tooLarge(max);
        }
        if (bundle.length == 0) {
            throw MiniflowException.badRequest("appUpload.empty");
        }
        String sha256 = AppUploadSignature.sha256(bundle);
        if (!sha256.equals(credentials.sha256())) {
            throw MiniflowException.badRequest("appUpload.digestMismatch");
        }
        String stringToSign = AppUploadSignature.stringToSign(appCode, envCode, version, timestamp, sha256);
        if (!AppUploadSignature.matches(key.secret(), stringToSign, credentials.signature())) {
            throw refused("appUpload.signatureMismatch");
        }
        AppEnvironment env = apps.findEnvironment(app.id(), envCode)
            .orElseThrow(() -> MiniflowException.notFound("app.environment.notFound", envCode, appCode));
        // Before the version's check, so that a replay is named as one; a later refusal rolls the record back.
        if (!uploads.firstUse(key.key().keyId(), credentials.signature(), now)) {
            throw refused("appUpload.replayed");
        }
        if (apps.findVersion(env.id(), version).isPresent()) {
            throw MiniflowException.conflict("appUpload.versionExists", version, envCode);
        }
        long versionId = apps.insertVersion(env.id(), version, app.engineVersion(), cleanNote,
            "upload:" + key.key().keyId(), key.key().keyId(), now);
        uploads.insertBundle(versionId, key.key().keyId(), sha256, bundle, now);
        keys.touch(key.key().keyId(), now);
        audit.record(key.key().keyId(), "APP_VERSION_UPLOADED", "app-version", appCode + "/" + envCode + "/" + version,
            app.workspace(), "sha256=" + sha256 + " bytes=" + bundle.length);
        return new Uploaded(appCode, envCode, version, versionId, VersionStatus.PENDING_PUBLISH, sha256, bundle.length,
            key.key().keyId(), now);
    }

    private static MiniflowException refused(String key, Object... args) {
        return new MiniflowException(HttpStatus.UNAUTHORIZED, key, args);
    }

    private static MiniflowException tooLarge(long max) {
        return new MiniflowException(HttpStatus.PAYLOAD_TOO_LARGE, "appUpload.tooLarge", max);
    }
}
