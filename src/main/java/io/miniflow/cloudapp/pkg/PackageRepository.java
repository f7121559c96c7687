package io.miniflow.cloudapp.pkg;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** mf_cloud_package (V43). */
@Repository
class PackageRepository {

    private static final String COLUMNS = "id, app_id, version, file_name, size_bytes, sha256, storage_key, nginx_test,"
        + " nginx_prod, uploaded_by, uploaded_at, running_in, first_deployed_at";

    private final JdbcClient jdbc;

    PackageRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(long appId, String version, String fileName, long size, String sha256, String storageKey,
                String nginxTest, String nginxProd, String uploadedBy, Instant uploadedAt) {
        jdbc.sql("INSERT INTO mf_cloud_package (app_id, version, file_name, size_bytes, sha256, storage_key, nginx_test,"
                + " nginx_prod, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(appId, version, fileName, size, sha256, storageKey, nginxTest, nginxProd, uploadedBy,
                Timestamp.from(uploadedAt))
            .update();
    }

    boolean exists(long appId, String version) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_package WHERE app_id = ? AND version = ?")
            .params(appId, version).query(Long.class).single() > 0;
    }

    Optional<ReleasePackage> find(long appId, String version) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mf_cloud_package WHERE app_id = ? AND version = ?")
            .params(appId, version).query(PackageRepository::row).optional();
    }

    /** The newest first. */
    List<ReleasePackage> list(long appId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mf_cloud_package WHERE app_id = ? ORDER BY uploaded_at DESC, id DESC")
            .param(appId).query(PackageRepository::row).list();
    }

    /** Deletes the row only while the package was never deployed; false when a deploy got there first. */
    boolean deleteUndeployed(long id) {
        return jdbc.sql("DELETE FROM mf_cloud_package WHERE id = ? AND first_deployed_at IS NULL").param(id).update() == 1;
    }

    /** From now on the package may not be deleted (set once, by the first deploy that asks for it). */
    void markDeployed(long id, Instant now) {
        jdbc.sql("UPDATE mf_cloud_package SET first_deployed_at = ? WHERE id = ? AND first_deployed_at IS NULL")
            .params(Timestamp.from(now), id).update();
    }

    void setRunningIn(long id, String runningIn) {
        jdbc.sql("UPDATE mf_cloud_package SET running_in = ? WHERE id = ?").params(runningIn, id).update();
    }

    private static ReleasePackage row(ResultSet rs, int i) throws SQLException {
        Timestamp deployed = rs.getTimestamp("first_deployed_at");
        return new ReleasePackage(rs.getLong("id"), rs.getLong("app_id"), rs.getString("version"),
            rs.getString("file_name"), rs.getLong("size_bytes"), rs.getString("sha256"), rs.getString("storage_key"),
            rs.getString("nginx_test"), rs.getString("nginx_prod"), rs.getString("uploaded_by"),
            rs.getTimestamp("uploaded_at").toInstant(), rs.getString("running_in"),
            deployed == null ? null : deployed.toInstant());
    }
}
