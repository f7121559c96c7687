package io.miniflow.app;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Apps, environments, configs, packages, versions and publish logs in Miniflow's tables. */
@Repository
class AppRepository {

    private static final String ENV_COLUMNS = """
        SELECT e.id, e.app_id, e.env_code, e.name, e.domain, e.api_domain, d.name AS deploy_config,
               s.name AS storage_config, e.requires_approval, e.required_approvals, e.online_version,
               e.publishing_version_id
        FROM mf_app_environment e
        LEFT JOIN mf_deploy_config d ON d.id = e.deploy_config_id
        LEFT JOIN mf_storage_config s ON s.id = e.storage_config_id
        """;
    private static final String VERSION_COLUMNS = "SELECT id, environment_id, version, engine_version, note, source,"
        + " status, created_by, created_at, published_by, published_at, process_instance_id, failure_reason,"
        + " storage_location FROM mf_app_version";

    private final JdbcClient jdbc;

    AppRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- apps

    long insertApp(String workspace, String appCode, String name, String description, String engineVersion,
                   String createdBy, Instant now) {
        return insert("""
                INSERT INTO mf_app (workspace, app_code, name, description, engine_version, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, ?, ?)""",
            workspace, appCode, name, description, engineVersion, Timestamp.from(now), createdBy);
    }

    Optional<App> findApp(String appCode) {
        return jdbc.sql("SELECT * FROM mf_app WHERE app_code = ?").param(appCode).query(this::mapApp).optional();
    }

    List<App> findApps(List<String> workspaces, String text) {
        if (workspaces != null && workspaces.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT * FROM mf_app WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (workspaces != null) {
            sql.append(" AND workspace IN (").append(String.join(",", workspaces.stream().map(w -> "?").toList()))
                .append(")");
            args.addAll(workspaces);
        }
        if (text != null && !text.isBlank()) {
            sql.append(" AND (LOWER(app_code) LIKE ? OR LOWER(name) LIKE ?)");
            String like = "%" + text.trim().toLowerCase() + "%";
            args.add(like);
            args.add(like);
        }
        return jdbc.sql(sql + " ORDER BY app_code").params(args).query(this::mapApp).list();
    }

    void linkPackage(long appId, long packageId) {
        jdbc.sql("INSERT INTO mf_app_package (app_id, package_id) VALUES (?, ?)").params(appId, packageId).update();
    }

    List<ComponentPackage> packagesOf(long appId) {
        return jdbc.sql("SELECT p.* FROM mf_component_package p JOIN mf_app_package ap ON ap.package_id = p.id"
                + " WHERE ap.app_id = ? ORDER BY p.name").param(appId)
            .query((rs, i) -> mapPackage(rs)).list();
    }

    // --- environments

    long insertEnvironment(long appId, String envCode, String name, String domain, String apiDomain,
                           Long deployConfigId, Long storageConfigId, boolean requiresApproval, int requiredApprovals,
                           Instant now) {
        return insert("""
                INSERT INTO mf_app_environment (app_id, env_code, name, domain, api_domain, deploy_config_id,
                    storage_config_id, requires_approval, required_approvals, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            appId, envCode, name, domain, apiDomain, deployConfigId, storageConfigId, requiresApproval,
            requiredApprovals, Timestamp.from(now));
    }

    List<AppEnvironment> environmentsOf(long appId) {
        return jdbc.sql(ENV_COLUMNS + " WHERE e.app_id = ? ORDER BY e.id").param(appId).query(this::mapEnv).list();
    }

    Optional<AppEnvironment> findEnvironment(long appId, String envCode) {
        return jdbc.sql(ENV_COLUMNS + " WHERE e.app_id = ? AND e.env_code = ?").params(appId, envCode)
            .query(this::mapEnv).optional();
    }

    Optional<AppEnvironment> findEnvironmentById(long id) {
        return jdbc.sql(ENV_COLUMNS + " WHERE e.id = ?").param(id).query(this::mapEnv).optional();
    }

    /** Takes the environment's publish slot for a version; false when another publish holds it. */
    boolean lockForPublish(long environmentId, long versionId) {
        return jdbc.sql("UPDATE mf_app_environment SET publishing_version_id = ?"
                + " WHERE id = ? AND (publishing_version_id IS NULL OR publishing_version_id = ?)")
            .params(versionId, environmentId, versionId).update() == 1;
    }

    void unlockPublish(long environmentId, long versionId) {
        jdbc.sql("UPDATE mf_app_environment SET publishing_version_id = NULL"
                + " WHERE id = ? AND publishing_version_id = ?").params(environmentId, versionId).update();
    }

    void setOnlineVersion(long environmentId, String version) {
        jdbc.sql("UPDATE mf_app_environment SET online_version = ? WHERE id = ?").params(version, environmentId)
            .update();
    }

    // --- versions

    long insertVersion(long environmentId, String version, String engineVersion, String note, String source,
                       String createdBy, Instant now) {
        return insert("""
                INSERT INTO mf_app_version (environment_id, version, engine_version, note, source, status, created_by,
                    created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            environmentId, version, engineVersion, note, source, VersionStatus.PENDING_PUBLISH.name(), createdBy,
            Timestamp.from(now));
    }

    Optional<AppVersion> findVersion(long environmentId, String version) {
        return jdbc.sql(VERSION_COLUMNS + " WHERE environment_id = ? AND version = ?").params(environmentId, version)
            .query(this::mapVersion).optional();
    }

    Optional<AppVersion> findVersionById(long id) {
        return jdbc.sql(VERSION_COLUMNS + " WHERE id = ?").param(id).query(this::mapVersion).optional();
    }

    Optional<AppVersion> findVersionByProcess(String processInstanceId) {
        return jdbc.sql(VERSION_COLUMNS + " WHERE process_instance_id = ?").param(processInstanceId)
            .query(this::mapVersion).optional();
    }

    List<AppVersion> versionsOf(long environmentId) {
        return jdbc.sql(VERSION_COLUMNS + " WHERE environment_id = ? ORDER BY id DESC").param(environmentId)
            .query(this::mapVersion).list();
    }

    void startPublish(long versionId, String note, String processInstanceId) {
        jdbc.sql("UPDATE mf_app_version SET status = ?, note = COALESCE(?, note), process_instance_id = ?,"
                + " failure_reason = NULL WHERE id = ?")
            .params(VersionStatus.PENDING_PUBLISH.name(), note, processInstanceId, versionId).update();
    }

    void setStatus(long versionId, VersionStatus status, String failureReason) {
        jdbc.sql("UPDATE mf_app_version SET status = ?, failure_reason = ? WHERE id = ?")
            .params(status.name(), failureReason, versionId).update();
    }

    void markPublished(long versionId, String publisher, Instant now) {
        jdbc.sql("UPDATE mf_app_version SET status = ?, published_by = ?, published_at = ?, failure_reason = NULL"
                + " WHERE id = ?")
            .params(VersionStatus.PUBLISHED.name(), publisher, Timestamp.from(now), versionId).update();
    }

    void setStorageLocation(long versionId, String storageLocation) {
        jdbc.sql("UPDATE mf_app_version SET storage_location = ? WHERE id = ?").params(storageLocation, versionId)
            .update();
    }

    boolean deleteVersion(long versionId) {
        jdbc.sql("DELETE FROM mf_publish_log WHERE version_id = ?").param(versionId).update();
        return jdbc.sql("DELETE FROM mf_app_version WHERE id = ? AND published_at IS NULL AND status <> ?")
            .params(versionId, VersionStatus.PUBLISHING.name()).update() == 1;
    }

    // --- publish log

    void log(long versionId, String level, String message, Instant now) {
        jdbc.sql("INSERT INTO mf_publish_log (version_id, logged_at, level, message) VALUES (?, ?, ?, ?)")
            .params(versionId, Timestamp.from(now), level, message.length() > 2000 ? message.substring(0, 2000) : message)
            .update();
    }

    List<PublishLogLine> logOf(long versionId, long afterId) {
        return jdbc.sql("SELECT id, logged_at, level, message FROM mf_publish_log WHERE version_id = ? AND id > ?"
                + " ORDER BY id").params(versionId, afterId)
            .query((rs, i) -> new PublishLogLine(rs.getLong("id"), rs.getTimestamp("logged_at").toInstant(),
                rs.getString("level"), rs.getString("message")))
            .list();
    }

    // --- deploy and storage configs, packages

    long insertDeployConfig(String workspace, String name, String vendor, String deployPath, String deployDomain,
                            String accessPath, String note, Instant now) {
        return insert("""
                INSERT INTO mf_deploy_config (workspace, name, cloud_vendor, deploy_path, deploy_domain, access_path,
                    note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            workspace, name, vendor, deployPath, deployDomain, accessPath, note, Timestamp.from(now));
    }

    Optional<DeployConfig> findDeployConfig(String workspace, String name) {
        return jdbc.sql("SELECT * FROM mf_deploy_config WHERE workspace = ? AND name = ?").params(workspace, name)
            .query(this::mapDeploy).optional();
    }

    List<DeployConfig> deployConfigs(String workspace) {
        return jdbc.sql("SELECT * FROM mf_deploy_config WHERE workspace = ? ORDER BY name").param(workspace)
            .query(this::mapDeploy).list();
    }

    long insertStorageConfig(String workspace, String name, String vendor, String bucket, String region,
                             String baseUrl, String note, Instant now) {
        return insert("""
                INSERT INTO mf_storage_config (workspace, name, vendor, bucket, region, base_url, note, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            workspace, name, vendor, bucket, region, baseUrl, note, Timestamp.from(now));
    }

    Optional<StorageConfig> findStorageConfig(String workspace, String name) {
        return jdbc.sql("SELECT * FROM mf_storage_config WHERE workspace = ? AND name = ?").params(workspace, name)
            .query(this::mapStorage).optional();
    }

    List<StorageConfig> storageConfigs(String workspace) {
        return jdbc.sql("SELECT * FROM mf_storage_config WHERE workspace = ? ORDER BY name").param(workspace)
            .query(this::mapStorage).list();
    }

    long insertPackage(String workspace, String name, String version, String description, String repositoryUrl,
                       Instant now) {
        return insert("INSERT INTO mf_component_package (workspace, name, version, description, repository_url,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?)", workspace, name, version, description, repositoryUrl,
            Timestamp.from(now));
    }

    void insertComponent(long packageId, String name, String detail) {
        jdbc.sql("INSERT INTO mf_component (package_id, name, detail) VALUES (?, ?, ?)")
            .params(packageId, name, detail).update();
    }

    Optional<ComponentPackage> findPackage(String workspace, String name, String version) {
        return jdbc.sql("SELECT * FROM mf_component_package WHERE workspace = ? AND name = ? AND version = ?")
            .params(workspace, name, version).query((rs, i) -> mapPackage(rs)).optional();
    }

    Optional<ComponentPackage> findPackageById(long id) {
        return jdbc.sql("SELECT * FROM mf_component_package WHERE id = ?").param(id)
            .query((rs, i) -> mapPackage(rs)).optional();
    }

    List<ComponentPackage> packages(String workspace) {
        return jdbc.sql("SELECT * FROM mf_component_package WHERE workspace = ? ORDER BY name, version")
            .param(workspace).query((rs, i) -> mapPackage(rs)).list();
    }

    // --- mapping

    private long insert(String sql, Object... args) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(sql).params(args).update(keys, "id");
        return keys.getKey().longValue();
    }

    private App mapApp(ResultSet rs, int row) throws SQLException {
        return new App(rs.getLong("id"), rs.getString("workspace"), rs.getString("app_code"), rs.getString("name"),
            rs.getString("description"), rs.getString("engine_version"), rs.getTimestamp("created_at").toInstant(),
            rs.getString("created_by"));
    }

    private AppEnvironment mapEnv(ResultSet rs, int row) throws SQLException {
        long publishing = rs.getLong("publishing_version_id");
        Long publishingVersionId = rs.wasNull() ? null : publishing;
        return new AppEnvironment(rs.getLong("id"), rs.getLong("app_id"), rs.getString("env_code"), rs.getString("name"),
            rs.getString("domain"), rs.getString("api_domain"), rs.getString("deploy_config"),
            rs.getString("storage_config"), rs.getBoolean("requires_approval"), rs.getInt("required_approvals"),
            rs.getString("online_version"), publishingVersionId);
    }

    private AppVersion mapVersion(ResultSet rs, int row) throws SQLException {
        Timestamp published = rs.getTimestamp("published_at");
        return new AppVersion(rs.getLong("id"), rs.getLong("environment_id"), rs.getString("version"),
            rs.getString("engine_version"), rs.getString("note"), rs.getString("source"),
            VersionStatus.valueOf(rs.getString("status")), rs.getString("created_by"),
            rs.getTimestamp("created_at").toInstant(), rs.getString("published_by"),
            published == null ? null : published.toInstant(), rs.getString("process_instance_id"),
            rs.getString("failure_reason"), rs.getString("storage_location"));
    }

    private DeployConfig mapDeploy(ResultSet rs, int row) throws SQLException {
        return new DeployConfig(rs.getLong("id"), rs.getString("workspace"), rs.getString("name"),
            rs.getString("cloud_vendor"), rs.getString("deploy_path"), rs.getString("deploy_domain"),
            rs.getString("access_path"), rs.getString("note"));
    }

    private StorageConfig mapStorage(ResultSet rs, int row) throws SQLException {
        return new StorageConfig(rs.getLong("id"), rs.getString("workspace"), rs.getString("name"),
            rs.getString("vendor"), rs.getString("bucket"), rs.getString("region"), rs.getString("base_url"),
            rs.getString("note"));
    }

    private ComponentPackage mapPackage(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        List<ComponentPackage.Component> components = jdbc.sql(
                "SELECT c.id, c.name, c.title, c.icon, c.detail, g.name AS group_name FROM mf_component c"
                    + " LEFT JOIN mf_component_group g ON g.id = c.group_id WHERE c.package_id = ? ORDER BY c.id")
            .param(id)
            .query((r, i) -> new ComponentPackage.Component(r.getLong("id"), r.getString("name"), r.getString("title"),
                r.getString("icon"), r.getString("detail"), r.getString("group_name"))).list();
        return new ComponentPackage(id, rs.getString("workspace"), rs.getString("name"), rs.getString("version"),
            rs.getString("description"), rs.getString("repository_url"), components);
    }
}
