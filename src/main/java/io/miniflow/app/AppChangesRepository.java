package io.miniflow.app;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

/**
 * What changes and deletes apps, environments, configs, packages, components and groups, and the lists of the
 * console's resource pages (search and paging). Reads of single objects stay in {@link AppRepository}.
 */
@Repository
class AppChangesRepository {

    private final JdbcClient jdbc;

    AppChangesRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    // --- apps

    void renameApp(long appId, String name, String description) {
        jdbc.sql("UPDATE mf_app SET name = ?, description = ? WHERE id = ?").params(name, description, appId).update();
    }

    void setEngine(long appId, String engineVersion) {
        jdbc.sql("UPDATE mf_app SET engine_version = ? WHERE id = ?").params(engineVersion, appId).update();
    }

    void replacePackages(long appId, List<Long> packageIds) {
        jdbc.sql("DELETE FROM mf_app_package WHERE app_id = ?").param(appId).update();
        for (Long id : packageIds) {
            jdbc.sql("INSERT INTO mf_app_package (app_id, package_id) VALUES (?, ?)").params(appId, id).update();
        }
    }

    /** "env version" of every version that was published (or is being published) in one of the app's environments. */
    List<String> publishedIn(long appId, Long environmentId) {
        String sql = "SELECT e.env_code, v.version FROM mf_app_version v JOIN mf_app_environment e"
            + " ON e.id = v.environment_id WHERE e.app_id = ? AND (v.published_at IS NOT NULL OR v.status IN (?, ?))"
            + (environmentId == null ? "" : " AND e.id = ?") + " ORDER BY e.env_code, v.id";
        List<Object> args = new ArrayList<>(List.of(appId, VersionStatus.PUBLISHING.name(),
            VersionStatus.PUBLISHED.name()));
        if (environmentId != null) {
            args.add(environmentId);
        }
        List<String> found = new ArrayList<>(jdbc.sql(sql).params(args)
            .query((rs, i) -> rs.getString(1) + " " + rs.getString(2)).list());
        // An online version or a publish slot without a published row still counts (kept by older data).
        jdbc.sql("SELECT env_code, online_version, publishing_version_id FROM mf_app_environment WHERE app_id = ?"
                + (environmentId == null ? "" : " AND id = ?"))
            .params(environmentId == null ? List.of(appId) : List.of(appId, environmentId))
            .query((rs, i) -> {
                String online = rs.getString(2);
                rs.getLong(3);
                boolean publishing = !rs.wasNull();
                return online != null ? rs.getString(1) + " " + online : publishing ? rs.getString(1) + " *" : null;
            }).list().stream().filter(s -> s != null && !found.contains(s)).forEach(found::add);
        return found;
    }

    /** Deletes an environment that never had a version published, with its unpublished versions and their logs. */
    void deleteEnvironment(long environmentId) {
        jdbc.sql("DELETE FROM mf_publish_log WHERE version_id IN (SELECT id FROM mf_app_version WHERE environment_id = ?)")
            .param(environmentId).update();
        jdbc.sql("DELETE FROM mf_app_version WHERE environment_id = ?").param(environmentId).update();
        jdbc.sql("DELETE FROM mf_app_environment WHERE id = ?").param(environmentId).update();
    }

    void deleteApp(long appId) {
        for (Long env : jdbc.sql("SELECT id FROM mf_app_environment WHERE app_id = ?").param(appId)
            .query(Long.class).list()) {
            deleteEnvironment(env);
        }
        jdbc.sql("DELETE FROM mf_app_package WHERE app_id = ?").param(appId).update();
        jdbc.sql("DELETE FROM mf_app WHERE id = ?").param(appId).update();
    }

    /**
     * The app's default privacy guide for its tenants' mini programs (kept by the release side under the app's code):
     * a new app of the same code must not inherit it.
     */
    void deleteAppPrivacyGuide(String appCode) {
        jdbc.sql("DELETE FROM mf_privacy_guide WHERE scope = 'APP' AND scope_key = ?").param(appCode).update();
    }

    // --- environments

    void updateEnvironment(long id, String name, String domain, String apiDomain, Long deployConfigId,
                           Long storageConfigId, boolean requiresApproval, int requiredApprovals) {
        jdbc.sql("""
                UPDATE mf_app_environment SET name = ?, domain = ?, api_domain = ?, deploy_config_id = ?,
                    storage_config_id = ?, requires_approval = ?, required_approvals = ? WHERE id = ?""")
            .params(name, domain, apiDomain, deployConfigId, storageConfigId, requiresApproval, requiredApprovals, id)
            .update();
    }

    /** "appCode/envCode" of the environments that use a deploy or storage config. */
    List<String> environmentsUsing(String column, long configId) {
        if (!column.equals("deploy_config_id") && !column.equals("storage_config_id")) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql("SELECT a.app_code, e.env_code FROM mf_app_environment e JOIN mf_app a ON a.id = e.app_id"
                + " WHERE e." + column + " = ? ORDER BY a.app_code, e.env_code").param(configId)
            .query((rs, i) -> rs.getString(1) + "/" + rs.getString(2)).list();
    }

    // --- deploy and storage configs

    PageResult<DeployConfig> deployConfigs(String workspace, String text, PageRequest page) {
        return page("mf_deploy_config", workspace, text, "name, cloud_vendor, deploy_domain, note", page,
            (rs, i) -> new DeployConfig(rs.getLong("id"), rs.getString("workspace"), rs.getString("name"),
                rs.getString("cloud_vendor"), rs.getString("deploy_path"), rs.getString("deploy_domain"),
                rs.getString("access_path"), rs.getString("note")));
    }

    void updateDeployConfig(long id, String name, String vendor, String deployPath, String deployDomain,
                            String accessPath, String note) {
        jdbc.sql("""
                UPDATE mf_deploy_config SET name = ?, cloud_vendor = ?, deploy_path = ?, deploy_domain = ?,
                    access_path = ?, note = ? WHERE id = ?""")
            .params(name, vendor, deployPath, deployDomain, accessPath, note, id).update();
    }

    void deleteDeployConfig(long id) {
        jdbc.sql("DELETE FROM mf_deploy_config WHERE id = ?").param(id).update();
    }

    PageResult<StorageConfig> storageConfigs(String workspace, String text, PageRequest page) {
        return page("mf_storage_config", workspace, text, "name, vendor, bucket, note", page,
            (rs, i) -> new StorageConfig(rs.getLong("id"), rs.getString("workspace"), rs.getString("name"),
                rs.getString("vendor"), rs.getString("bucket"), rs.getString("region"), rs.getString("base_url"),
                rs.getString("note")));
    }

    void updateStorageConfig(long id, String name, String vendor, String bucket, String region, String baseUrl,
                             String note) {
        jdbc.sql("""
                UPDATE mf_storage_config SET name = ?, vendor = ?, bucket = ?, region = ?, base_url = ?, note = ?
                WHERE id = ?""").params(name, vendor, bucket, region, baseUrl, note, id).update();
    }

    void deleteStorageConfig(long id) {
        jdbc.sql("DELETE FROM mf_storage_config WHERE id = ?").param(id).update();
    }

    // --- packages and components

    /** Ids of one page of packages (AppRepository reads them whole). */
    PageResult<Long> packageIds(String workspace, String text, PageRequest page) {
        return page("mf_component_package", workspace, text, "name, version, description, repository_url", page,
            (rs, i) -> rs.getLong("id"), "name, version");
    }

    void updatePackage(long id, String repositoryUrl, String description) {
        jdbc.sql("UPDATE mf_component_package SET repository_url = ?, description = ? WHERE id = ?")
            .params(repositoryUrl, description, id).update();
    }

    List<String> appsUsingPackage(long packageId) {
        return jdbc.sql("SELECT a.app_code FROM mf_app a JOIN mf_app_package ap ON ap.app_id = a.id"
            + " WHERE ap.package_id = ? ORDER BY a.app_code").param(packageId).query(String.class).list();
    }

    void deletePackage(long id) {
        jdbc.sql("DELETE FROM mf_component WHERE package_id = ?").param(id).update();
        jdbc.sql("DELETE FROM mf_component_package WHERE id = ?").param(id).update();
    }

    void updateComponent(long id, String name, String title, String icon, String description, Long groupId) {
        jdbc.sql("UPDATE mf_component SET name = ?, title = ?, icon = ?, detail = ?, group_id = ? WHERE id = ?")
            .params(name, title, icon, description, groupId, id).update();
    }

    // --- component groups

    private static final String GROUP_COLUMNS = "SELECT g.id, g.workspace, g.name, g.sort_order,"
        + " (SELECT COUNT(*) FROM mf_component c WHERE c.group_id = g.id) AS components FROM mf_component_group g";

    PageResult<ComponentGroup> groups(String workspace, String text, PageRequest page) {
        List<Object> args = new ArrayList<>(List.of(workspace));
        String where = " WHERE g.workspace = ?" + like(text, args, "g.name");
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_component_group g" + where).params(args).query(Long.class)
            .single();
        args.add(page.size());
        args.add(page.offset());
        return new PageResult<>(jdbc.sql(GROUP_COLUMNS + where + " ORDER BY g.sort_order, g.name LIMIT ? OFFSET ?")
            .params(args).query(this::mapGroup).list(), page, total);
    }

    Optional<ComponentGroup> findGroup(String workspace, String name) {
        return jdbc.sql(GROUP_COLUMNS + " WHERE g.workspace = ? AND g.name = ?").params(workspace, name)
            .query(this::mapGroup).optional();
    }

    int nextGroupOrder(String workspace) {
        return jdbc.sql("SELECT COALESCE(MAX(sort_order), -10) + 10 FROM mf_component_group WHERE workspace = ?")
            .param(workspace).query(Integer.class).single();
    }

    long insertGroup(String workspace, String name, int sortOrder, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mf_component_group (workspace, name, sort_order, created_at) VALUES (?, ?, ?, ?)")
            .params(workspace, name, sortOrder, Timestamp.from(now)).update(keys, "id");
        return keys.getKey().longValue();
    }

    void updateGroup(long id, String name, int sortOrder) {
        jdbc.sql("UPDATE mf_component_group SET name = ?, sort_order = ? WHERE id = ?").params(name, sortOrder, id)
            .update();
    }

    /** Deletes the group only while no component is in it; false otherwise. */
    boolean deleteEmptyGroup(long id) {
        return jdbc.sql("DELETE FROM mf_component_group WHERE id = ?"
            + " AND NOT EXISTS (SELECT 1 FROM mf_component c WHERE c.group_id = ?)").params(id, id).update() == 1;
    }

    // --- helpers

    private <T> PageResult<T> page(String table, String workspace, String text, String searched, PageRequest page,
                                   RowMapper<T> mapper) {
        return page(table, workspace, text, searched, page, mapper, "name");
    }

    private <T> PageResult<T> page(String table, String workspace, String text, String searched, PageRequest page,
                                   RowMapper<T> mapper, String order) {
        List<Object> args = new ArrayList<>(List.of(workspace));
        String where = " WHERE workspace = ?" + like(text, args, searched.split(",\\s*"));
        long total = jdbc.sql("SELECT COUNT(*) FROM " + table + where).params(args).query(Long.class).single();
        args.add(page.size());
        args.add(page.offset());
        return new PageResult<>(jdbc.sql("SELECT * FROM " + table + where + " ORDER BY " + order + " LIMIT ? OFFSET ?")
            .params(args).query(mapper).list(), page, total);
    }

    private static String like(String text, List<Object> args, String... columns) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String pattern = "%" + text.trim().toLowerCase().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        List<String> parts = new ArrayList<>();
        for (String c : columns) {
            parts.add("LOWER(" + c + ") LIKE ? ESCAPE '!'");
            args.add(pattern);
        }
        return " AND (" + String.join(" OR ", parts) + ")";
    }

    private ComponentGroup mapGroup(ResultSet rs, int row) throws SQLException {
        return new ComponentGroup(rs.getLong("id"), rs.getString("workspace"), rs.getString("name"),
            rs.getInt("sort_order"), rs.getInt("components"));
    }
}
