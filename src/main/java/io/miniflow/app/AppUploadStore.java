package io.miniflow.app;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;

/** The bundles of uploaded versions (mf_app_bundle) and the signatures already accepted (mf_app_upload_signature). */
@Repository
class AppUploadStore {

    record Bundle(long versionId, String keyId, String sha256, long sizeBytes, Instant uploadedAt) {
    }

    private final JdbcClient jdbc;
    private final AppKeySettings settings;
    private final Clock clock;

    AppUploadStore(JdbcClient jdbc, AppKeySettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Records an accepted signature; false when it was accepted before (a replay). The primary key decides between
     * concurrent uploads on any node; a row older than twice the window (not yet cleaned up) cannot come back, as
     * its timestamp is refused first.
     */
    boolean firstUse(String keyId, String signature, Instant now) {
        try {
            jdbc.sql("INSERT INTO mf_app_upload_signature (key_id, signature, seen_at) VALUES (?, ?, ?)")
                .params(keyId, signature, Timestamp.from(now)).update();
            return true;
        } catch (DuplicateKeyException replayed) {
            return false;
        }
    }

    void insertBundle(long versionId, String keyId, String sha256, byte[] content, Instant now) {
        jdbc.sql("INSERT INTO mf_app_bundle (version_id, key_id, sha256, size_bytes, content, uploaded_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
            .params(versionId, keyId, sha256, (long) content.length, content, Timestamp.from(now)).update();
    }

    Optional<Bundle> bundle(long versionId) {
        return jdbc.sql("SELECT version_id, key_id, sha256, size_bytes, uploaded_at FROM mf_app_bundle"
                + " WHERE version_id = ?").param(versionId)
            .query((rs, i) -> new Bundle(rs.getLong("version_id"), rs.getString("key_id"), rs.getString("sha256"),
                rs.getLong("size_bytes"), rs.getTimestamp("uploaded_at").toInstant()))
            .optional();
    }

    /** Every node does it; a signature older than twice the window has a timestamp that is refused anyway. */
    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT5M")
    int forgetOld() {
        return jdbc.sql("DELETE FROM mf_app_upload_signature WHERE seen_at < ?")
            .param(Timestamp.from(Instant.now(clock).minus(settings.uploadWindow().multipliedBy(2)))).update();
    }
}
