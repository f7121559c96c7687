package io.miniflow.app;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.miniflow.app.AppKeyService.KeysView;
import io.miniflow.app.AppUploads.Credentials;
import io.miniflow.app.AppUploads.Uploaded;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.PageRequest;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of app keys and the signed bundle upload (docs/api.md "App keys", "Signed upload"). */
@RestController
class AppKeyApiController {

    private final AppKeyService keys;
    private final AppUploads uploads;
    private final Clock clock;

    AppKeyApiController(AppKeyService keys, AppUploads uploads, Clock clock) {
        this.keys = keys;
        this.uploads = uploads;
        this.clock = clock;
    }

    @GetMapping("/api/apps/{appCode}/keys")
    KeyPage list(Authentication auth, @PathVariable String appCode, @RequestParam(required = false) String q,
                 @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return KeyPage.of(keys.keys(CurrentUser.from(auth), appCode, q, PageRequest.of(page, size)));
    }

    @PostMapping("/api/apps/{appCode}/keys")
    @ResponseStatus(HttpStatus.CREATED)
    NewAppKey create(Authentication auth, @PathVariable String appCode, @Valid @RequestBody NewKeyRequest body) {
        return keys.create(CurrentUser.from(auth), appCode, body.kind());
    }

    @PostMapping("/api/apps/{appCode}/keys/{keyId}/rotate")
    @ResponseStatus(HttpStatus.CREATED)
    NewAppKey rotate(Authentication auth, @PathVariable String appCode, @PathVariable String keyId) {
        return keys.rotate(CurrentUser.from(auth), appCode, keyId);
    }

    @PostMapping("/api/apps/{appCode}/keys/{keyId}/revoke")
    KeyRow revoke(Authentication auth, @PathVariable String appCode, @PathVariable String keyId) {
        return KeyRow.of(keys.revoke(CurrentUser.from(auth), appCode, keyId), Instant.now(clock));
    }

    /**
     * The bundle is the request body as sent (any content type); no login: the Upload Key's signature is checked
     * instead (the path is open in io.miniflow.identity.PlatformEndpoints.SIGNED_API).
     */
    @PostMapping("/api/apps/{appCode}/versions/upload")
    ResponseEntity<Uploaded> upload(@PathVariable String appCode, @RequestParam(required = false) String environment,
                                    @RequestParam(required = false) String version,
                                    @RequestParam(required = false) String note,
                                    @RequestHeader(name = AppUploadSignature.KEY_HEADER, required = false) String keyId,
                                    @RequestHeader(name = AppUploadSignature.TIMESTAMP_HEADER, required = false)
                                    String timestamp,
                                    @RequestHeader(name = AppUploadSignature.SHA256_HEADER, required = false)
                                    String sha256,
                                    @RequestHeader(name = AppUploadSignature.SIGNATURE_HEADER, required = false)
                                    String signature,
                                    HttpServletRequest request) throws IOException {
        Uploaded uploaded = uploads.upload(appCode, environment, version, note,
            new Credentials(keyId, timestamp, sha256, signature), request.getContentLengthLong(),
            request.getInputStream());
        return ResponseEntity.status(HttpStatus.CREATED)
            .header("Location", "/api/apps/" + appCode + "/environments/" + environment).body(uploaded);
    }

    record NewKeyRequest(@NotBlank(message = "{appKey.kind.required}")
                         @Size(max = 16, message = "{appKey.kind.required}") String kind) {
    }

    /** A key as listed, with its state when read. */
    record KeyRow(String keyId, AppKeyKind kind, AppKey.State state, String createdBy, Instant createdAt,
                  String replacedBy, Instant expiresAt, Instant revokedAt, String revokedBy, Instant lastUsedAt) {

        static KeyRow of(AppKey k, Instant now) {
            return new KeyRow(k.keyId(), k.kind(), k.stateAt(now), k.createdBy(), k.createdAt(), k.replacedBy(),
                k.expiresAt(), k.revokedAt(), k.revokedBy(), k.lastUsedAt());
        }
    }

    record KeyPage(String appCode, List<KeyRow> items, int page, int size, long total, String rotationOverlap) {

        static KeyPage of(KeysView view) {
            return new KeyPage(view.app().appCode(),
                view.keys().items().stream().map(k -> KeyRow.of(k, view.now())).toList(), view.keys().page(),
                view.keys().request().size(), view.keys().total(), view.settings().rotationOverlap().toString());
        }
    }
}
