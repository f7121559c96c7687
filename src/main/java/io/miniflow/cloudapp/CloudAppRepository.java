package io.miniflow.cloudapp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.crypto.EncryptedColumns;
import io.miniflow.shared.crypto.SecretBox;

/**
 * The mf_cloud_* tables (V42). Private keys and database passwords are written through {@link SecretBox} and come back
 * in plain text only from {@link #privateKey} and {@link #databasePassword}.
 */
@Repository
class CloudAppRepository implements EncryptedColumns {

    private static final List<Column> ENCRYPTED = List.of(new Column("mf_cloud_certificate", "private_key"),
        new Column("mf_cloud_database", "password"));
    private static final String CERTIFICATE_COLUMNS = "SELECT id, env_id, domain, certificate_pem, subject, not_before,"
        + " not_after, fingerprint, cloud_certificate_id, uploaded_by, uploaded_at FROM mf_cloud_certificate";

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    CloudAppRepository(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public List<Column> encryptedColumns() {
        return ENCRYPTED;
    }

    // --- apps and environments

    long insertApp(String workspace, String name, String description, Runtime runtime, String createdBy, Instant now) {
        return insert("INSERT INTO mf_cloud_app (workspace, name, description, runtime, created_by, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)", workspace, name, description, runtime.name(), createdBy, ts(now));
    }

    void insertEnvironment(long appId, EnvName env, Instant now) {
        // Prod deploys and releases need one approval unless the environment is set otherwise (issue 15).
        int requiredApprovals = env == EnvName.PROD ? 1 : 0;
        jdbc.sql("INSERT INTO mf_cloud_env (app_id, env, status, required_approvals, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
            .params(appId, env.code(), EnvironmentStatus.NOT_BUILT.name(), requiredApprovals, ts(now), ts(now))
            .update();
    }

    Optional<CloudApp> findApp(String name) {
        return jdbc.sql("SELECT * FROM mf_cloud_app WHERE name = ?").param(name).query(CloudAppRepository::app)
            .optional();
    }

    Optional<CloudApp> findAppById(long id) {
        return jdbc.sql("SELECT * FROM mf_cloud_app WHERE id = ?").param(id).query(CloudAppRepository::app).optional();
    }

    /** Apps of these workspaces ({@code null}: all) whose name or description contains the text. */
    PageResult<CloudApp> search(List<String> workspaces, String text, PageRequest page) {
        if (workspaces != null && workspaces.isEmpty()) {
            return new PageResult<>(List.of(), page, 0);
        }
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (workspaces != null) {
            where.append(" AND workspace IN (").append(String.join(",", workspaces.stream().map(w -> "?").toList()))
                .append(")");
            args.addAll(workspaces);
        }
        if (text != null && !text.isBlank()) {
            where.append(" AND (name LIKE ? OR LOWER(description) LIKE ?)");
            String like = "%" + text.trim().toLowerCase() + "%";
            args.add(like);
            args.add(like);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app" + where).params(args).query(Long.class).single();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size());
        pageArgs.add(page.offset());
        return new PageResult<>(jdbc.sql("SELECT * FROM mf_cloud_app" + where + " ORDER BY name LIMIT ? OFFSET ?")
            .params(pageArgs).query(CloudAppRepository::app).list(), page, total);
    }

    List<CloudEnvironment> environmentsOf(long appId) {
        return jdbc.sql("SELECT * FROM mf_cloud_env WHERE app_id = ? ORDER BY id").param(appId)
            .query(CloudAppRepository::environment).list();
    }

    Optional<CloudEnvironment> findEnvironment(long appId, EnvName env) {
        return jdbc.sql("SELECT * FROM mf_cloud_env WHERE app_id = ? AND env = ?").params(appId, env.code())
            .query(CloudAppRepository::environment).optional();
    }

    Optional<CloudEnvironment> findEnvironmentById(long id) {
        return jdbc.sql("SELECT * FROM mf_cloud_env WHERE id = ?").param(id).query(CloudAppRepository::environment)
            .optional();
    }

    /** Locks the app's environment rows until the transaction ends (delete and build take turns). */
    List<CloudEnvironment> lockEnvironments(long appId) {
        return jdbc.sql("SELECT * FROM mf_cloud_env WHERE app_id = ? ORDER BY id FOR UPDATE").param(appId)
            .query(CloudAppRepository::environment).list();
    }

    /** Locks one environment row until the transaction ends (deploys and releases take turns). */
    Optional<CloudEnvironment> lockEnvironment(long envId) {
        return jdbc.sql("SELECT * FROM mf_cloud_env WHERE id = ? FOR UPDATE").param(envId)
            .query(CloudAppRepository::environment).optional();
    }

    /** The deploy order running on the environment (WAITING or RUNNING), if any: its number. */
    Optional<String> activeDeploy(long envId) {
        return jdbc.sql("SELECT deploy_no FROM mf_cloud_deploy WHERE active_env_id = ?").param(envId)
            .query(String.class).optional();
    }

    void setAppVersion(long envId, String instanceId, String version) {
        jdbc.sql("UPDATE mf_cloud_resource SET app_version = ? WHERE env_id = ? AND kind = ? AND resource_id = ?")
            .params(version, envId, ResourceKind.ECS_INSTANCE.name(), instanceId).update();
    }

    /** Moves the status only from what the caller saw; false when another request moved it first. */
    boolean moveStatus(long envId, EnvironmentStatus from, EnvironmentStatus to, Instant now) {
        return jdbc.sql("UPDATE mf_cloud_env SET status = ?, updated_at = ? WHERE id = ? AND status = ?")
            .params(to.name(), ts(now), envId, from.name()).update() == 1;
    }

    void startBuilding(long envId, long buildId, String domain, Long certificateId, Instant now) {
        jdbc.sql("UPDATE mf_cloud_env SET build_id = ?, domain = ?, certificate_id = ?, updated_at = ? WHERE id = ?")
            .params(buildId, domain, certificateId, ts(now), envId).update();
    }

    /** The certificate the environment serves from its next deploy on. */
    void setCertificate(long envId, long certificateId, Instant now) {
        jdbc.sql("UPDATE mf_cloud_env SET certificate_id = ?, updated_at = ? WHERE id = ?")
            .params(certificateId, ts(now), envId).update();
    }

    void setStatus(long envId, EnvironmentStatus status, Plan plan, Instant now) {
        jdbc.sql("UPDATE mf_cloud_env SET status = ?, plan = ?, updated_at = ? WHERE id = ?")
            .params(status.name(), plan == null ? null : plan.name(), ts(now), envId).update();
    }

    /** Back to NOT_BUILT with nothing: no plan, domain or certificate (an unpaid order was closed). */
    void resetEnvironment(long envId, Instant now) {
        jdbc.sql("UPDATE mf_cloud_env SET status = ?, plan = NULL, domain = NULL, certificate_id = NULL, updated_at = ?"
            + " WHERE id = ?").params(EnvironmentStatus.NOT_BUILT.name(), ts(now), envId).update();
    }

    boolean domainInUse(String domain, long exceptEnvId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_env WHERE domain = ? AND id <> ? AND status NOT IN (?, ?)")
            .params(domain, exceptEnvId, EnvironmentStatus.NOT_BUILT.name(), EnvironmentStatus.RELEASED.name())
            .query(Long.class).single() > 0;
    }

    /** Deletes an app with everything its environments recorded (callers checked they hold nothing). */
    void deleteApp(long appId) {
        String envs = "(SELECT id FROM mf_cloud_env WHERE app_id = ?)";
        jdbc.sql("DELETE FROM mf_cloud_build_step WHERE build_id IN (SELECT id FROM mf_cloud_build WHERE env_id IN "
            + envs + ")").param(appId).update();
        for (String table : List.of("mf_cloud_order", "mf_cloud_resource", "mf_cloud_database")) {
            jdbc.sql("DELETE FROM " + table + " WHERE env_id IN " + envs).param(appId).update();
        }
        jdbc.sql("UPDATE mf_cloud_env SET build_id = NULL, certificate_id = NULL WHERE app_id = ?").param(appId).update();
        for (String table : List.of("mf_cloud_build", "mf_cloud_certificate")) {
            jdbc.sql("DELETE FROM " + table + " WHERE env_id IN " + envs).param(appId).update();
        }
        jdbc.sql("DELETE FROM mf_cloud_env WHERE app_id = ?").param(appId).update();
        // the package files stay in the PackageStore (docs/cloud-apps.md, Packages)
        jdbc.sql("DELETE FROM mf_cloud_package WHERE app_id = ?").param(appId).update();
        jdbc.sql("DELETE FROM mf_cloud_app WHERE id = ?").param(appId).update();
    }

    // --- certificates

    long insertCertificate(long envId, String domain, String certificatePem, String privateKeyPem,
                           CertificateCheck.Checked checked, String uploadedBy, Instant now) {
        return insert("""
                INSERT INTO mf_cloud_certificate (env_id, domain, certificate_pem, private_key, subject, not_before,
                    not_after, fingerprint, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            envId, domain, certificatePem.trim(), secrets.encrypt(privateKeyPem.trim()), checked.subject(),
            ts(checked.notBefore()), ts(checked.notAfter()), checked.fingerprint(), uploadedBy, ts(now));
    }

    Optional<Certificate> findCertificate(long id) {
        return jdbc.sql(CERTIFICATE_COLUMNS + " WHERE id = ?").param(id).query(CloudAppRepository::certificate)
            .optional();
    }

    /** The private key in plain text, for installing it (nginx or the SLB). */
    Optional<String> privateKey(long certificateId) {
        return jdbc.sql("SELECT private_key FROM mf_cloud_certificate WHERE id = ?").param(certificateId)
            .query(String.class).optional().map(secrets::decrypt);
    }

    void setCloudCertificateId(long certificateId, String cloudCertificateId) {
        jdbc.sql("UPDATE mf_cloud_certificate SET cloud_certificate_id = ? WHERE id = ?")
            .params(cloudCertificateId, certificateId).update();
    }

    // --- builds and their steps

    long insertBuild(long envId, String startedBy, Plan plan, int months, String domain, Long certificateId,
                     Instant now) {
        return insert("""
                INSERT INTO mf_cloud_build (env_id, started_by, plan, months, domain, certificate_id, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            envId, startedBy, plan.name(), months, domain, certificateId, BuildStatus.RUNNING.name(), ts(now));
    }

    void setBuildProcess(long buildId, String processInstanceId) {
        jdbc.sql("UPDATE mf_cloud_build SET process_instance_id = ? WHERE id = ?").params(processInstanceId, buildId)
            .update();
    }

    Optional<Build> findBuild(long id) {
        return jdbc.sql("SELECT * FROM mf_cloud_build WHERE id = ?").param(id).query(CloudAppRepository::build)
            .optional();
    }

    Optional<Build> findBuildByProcess(String processInstanceId) {
        return jdbc.sql("SELECT * FROM mf_cloud_build WHERE process_instance_id = ?").param(processInstanceId)
            .query(CloudAppRepository::build).optional();
    }

    List<Build> buildsOf(long envId) {
        return jdbc.sql("SELECT * FROM mf_cloud_build WHERE env_id = ? ORDER BY id DESC").param(envId)
            .query(CloudAppRepository::build).list();
    }

    /** Ends a running build once; false when it had ended already. */
    boolean endBuild(long buildId, BuildStatus status, String reason, Instant now) {
        return jdbc.sql("UPDATE mf_cloud_build SET status = ?, failure_reason = ?, ended_at = ? WHERE id = ? AND status = ?")
            .params(status.name(), reason, ts(now), buildId, BuildStatus.RUNNING.name()).update() == 1;
    }

    void insertStep(long buildId, String step, StepStatus status, String message, Instant now) {
        jdbc.sql("INSERT INTO mf_cloud_build_step (build_id, step, status, message, occurred_at) VALUES (?, ?, ?, ?, ?)")
            .params(buildId, step, status.name(), truncate(message), ts(now)).update();
    }

    List<BuildStep> stepsOf(long buildId) {
        return jdbc.sql("SELECT * FROM mf_cloud_build_step WHERE build_id = ? ORDER BY id").param(buildId)
            .query((rs, i) -> new BuildStep(rs.getLong("id"), rs.getLong("build_id"), rs.getString("step"),
                StepStatus.valueOf(rs.getString("status")), rs.getString("message"), instant(rs, "occurred_at")))
            .list();
    }

    // --- orders

    void insertOrder(long envId, long buildId, String outTradeNo, int amountFen, Plan plan, int months, Instant now) {
        jdbc.sql("""
                INSERT INTO mf_cloud_order (env_id, build_id, out_trade_no, amount_fen, plan, months, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
            .params(envId, buildId, outTradeNo, amountFen, plan.name(), months, OrderStatus.UNPAID.name(), ts(now))
            .update();
    }

    Optional<CloudOrder> findOrder(String outTradeNo) {
        return jdbc.sql("SELECT * FROM mf_cloud_order WHERE out_trade_no = ?").param(outTradeNo)
            .query(CloudAppRepository::order).optional();
    }

    Optional<CloudOrder> orderOfBuild(long buildId) {
        return jdbc.sql("SELECT * FROM mf_cloud_order WHERE build_id = ?").param(buildId)
            .query(CloudAppRepository::order).optional();
    }

    List<CloudOrder> ordersOf(long envId) {
        return jdbc.sql("SELECT * FROM mf_cloud_order WHERE env_id = ? ORDER BY id DESC").param(envId)
            .query(CloudAppRepository::order).list();
    }

    void setCodeUrl(String outTradeNo, String codeUrl) {
        jdbc.sql("UPDATE mf_cloud_order SET code_url = ? WHERE out_trade_no = ?").params(codeUrl, outTradeNo).update();
    }

    /** UNPAID → PAID once; false when it was not UNPAID (already paid, or closed). */
    boolean markPaid(String outTradeNo, String transactionId, Instant paidAt) {
        return jdbc.sql("UPDATE mf_cloud_order SET status = ?, transaction_id = ?, paid_at = ?"
                + " WHERE out_trade_no = ? AND status = ?")
            .params(OrderStatus.PAID.name(), transactionId, ts(paidAt), outTradeNo, OrderStatus.UNPAID.name())
            .update() == 1;
    }

    boolean markClosed(String outTradeNo, Instant now) {
        return jdbc.sql("UPDATE mf_cloud_order SET status = ?, closed_at = ? WHERE out_trade_no = ? AND status = ?")
            .params(OrderStatus.CLOSED.name(), ts(now), outTradeNo, OrderStatus.UNPAID.name()).update() == 1;
    }

    boolean markRefunded(String outTradeNo, String outRefundNo, Instant now) {
        return jdbc.sql("UPDATE mf_cloud_order SET status = ?, out_refund_no = ?, refunded_at = ?"
                + " WHERE out_trade_no = ? AND status = ?")
            .params(OrderStatus.REFUNDED.name(), outRefundNo, ts(now), outTradeNo, OrderStatus.PAID.name())
            .update() == 1;
    }

    // --- resources and database

    /** Records a resource once: the same kind and id again (a retried step) changes nothing and answers false. */
    boolean insertResource(long envId, long buildId, ResourceKind kind, String resourceId, String address,
                           Integer weight, Instant now) {
        if (findResource(envId, kind, resourceId).isPresent()) {
            return false;
        }
        try {
            jdbc.sql("""
                    INSERT INTO mf_cloud_resource (env_id, build_id, kind, resource_id, address, weight, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(envId, buildId, kind.name(), resourceId, address, weight, ts(now)).update();
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    Optional<CloudResource> findResource(long envId, ResourceKind kind, String resourceId) {
        return jdbc.sql("SELECT * FROM mf_cloud_resource WHERE env_id = ? AND kind = ? AND resource_id = ?")
            .params(envId, kind.name(), resourceId).query(CloudAppRepository::resource).optional();
    }

    void setResourceAddress(long envId, ResourceKind kind, String resourceId, String address) {
        jdbc.sql("UPDATE mf_cloud_resource SET address = ? WHERE env_id = ? AND kind = ? AND resource_id = ?")
            .params(address, envId, kind.name(), resourceId).update();
    }

    void setWeight(long envId, String instanceId, int weight) {
        jdbc.sql("UPDATE mf_cloud_resource SET weight = ? WHERE env_id = ? AND kind = ? AND resource_id = ?")
            .params(weight, envId, ResourceKind.ECS_INSTANCE.name(), instanceId).update();
    }

    void markReleased(long envId, ResourceKind kind, String resourceId, Instant now) {
        jdbc.sql("UPDATE mf_cloud_resource SET released_at = ? WHERE env_id = ? AND kind = ? AND resource_id = ?"
            + " AND released_at IS NULL").params(ts(now), envId, kind.name(), resourceId).update();
    }

    /** The resources not released, in the order they were bought. */
    List<CloudResource> resourcesOf(long envId) {
        return jdbc.sql("SELECT * FROM mf_cloud_resource WHERE env_id = ? AND released_at IS NULL ORDER BY id")
            .param(envId).query(CloudAppRepository::resource).list();
    }

    /** Records (or, on a retried step, replaces) the environment's database. */
    void saveDatabase(long envId, long buildId, DatabaseKind kind, String instanceId, String host, int port,
                      String databaseName, String accountName, String password, Instant now) {
        jdbc.sql("DELETE FROM mf_cloud_database WHERE env_id = ?").param(envId).update();
        jdbc.sql("""
                INSERT INTO mf_cloud_database (env_id, build_id, kind, instance_id, host, port, database_name,
                    account_name, password, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .params(envId, buildId, kind.name(), instanceId, host, port, databaseName, accountName,
                secrets.encrypt(password), ts(now)).update();
    }

    Optional<CloudDatabase> findDatabase(long envId) {
        return jdbc.sql("SELECT * FROM mf_cloud_database WHERE env_id = ?").param(envId)
            .query((rs, i) -> new CloudDatabase(rs.getLong("env_id"), DatabaseKind.valueOf(rs.getString("kind")),
                rs.getString("instance_id"), rs.getString("host"), rs.getInt("port"), rs.getString("database_name"),
                rs.getString("account_name")))
            .optional();
    }

    Optional<String> databasePassword(long envId) {
        return jdbc.sql("SELECT password FROM mf_cloud_database WHERE env_id = ?").param(envId).query(String.class)
            .optional().map(secrets::decrypt);
    }

    void deleteDatabase(long envId) {
        jdbc.sql("DELETE FROM mf_cloud_database WHERE env_id = ?").param(envId).update();
    }

    // --- mapping

    private long insert(String sql, Object... args) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql(sql).params(args).update(keys, "id");
        return keys.getKey().longValue();
    }

    private static CloudApp app(ResultSet rs, int i) throws SQLException {
        return new CloudApp(rs.getLong("id"), rs.getString("workspace"), rs.getString("name"),
            rs.getString("description"), Runtime.valueOf(rs.getString("runtime")), rs.getString("created_by"),
            instant(rs, "created_at"));
    }

    private static CloudEnvironment environment(ResultSet rs, int i) throws SQLException {
        String plan = rs.getString("plan");
        return new CloudEnvironment(rs.getLong("id"), rs.getLong("app_id"), EnvName.fromCode(rs.getString("env"))
            .orElseThrow(), EnvironmentStatus.valueOf(rs.getString("status")), plan == null ? null : Plan.valueOf(plan),
            rs.getString("domain"), longOrNull(rs, "certificate_id"), longOrNull(rs, "build_id"),
            instant(rs, "updated_at"), rs.getInt("required_approvals"));
    }

    private static Certificate certificate(ResultSet rs, int i) throws SQLException {
        return new Certificate(rs.getLong("id"), rs.getLong("env_id"), rs.getString("domain"),
            rs.getString("certificate_pem"), rs.getString("subject"), instant(rs, "not_before"),
            instant(rs, "not_after"), rs.getString("fingerprint"), rs.getString("cloud_certificate_id"),
            rs.getString("uploaded_by"), instant(rs, "uploaded_at"));
    }

    private static Build build(ResultSet rs, int i) throws SQLException {
        return new Build(rs.getLong("id"), rs.getLong("env_id"), rs.getString("process_instance_id"),
            rs.getString("started_by"), Plan.valueOf(rs.getString("plan")), rs.getInt("months"), rs.getString("domain"),
            longOrNull(rs, "certificate_id"), BuildStatus.valueOf(rs.getString("status")),
            rs.getString("failure_reason"), instant(rs, "started_at"), instant(rs, "ended_at"));
    }

    private static CloudOrder order(ResultSet rs, int i) throws SQLException {
        return new CloudOrder(rs.getLong("id"), rs.getLong("env_id"), rs.getLong("build_id"),
            rs.getString("out_trade_no"), rs.getInt("amount_fen"), Plan.valueOf(rs.getString("plan")),
            rs.getInt("months"), OrderStatus.valueOf(rs.getString("status")), rs.getString("code_url"),
            rs.getString("transaction_id"), rs.getString("out_refund_no"), instant(rs, "created_at"),
            instant(rs, "paid_at"), instant(rs, "closed_at"), instant(rs, "refunded_at"));
    }

    private static CloudResource resource(ResultSet rs, int i) throws SQLException {
        Integer weight = rs.getInt("weight");
        if (rs.wasNull()) {
            weight = null;
        }
        return new CloudResource(rs.getLong("id"), rs.getLong("env_id"), rs.getLong("build_id"),
            ResourceKind.valueOf(rs.getString("kind")), rs.getString("resource_id"), rs.getString("address"),
            weight, instant(rs, "created_at"), instant(rs, "released_at"), rs.getString("app_version"));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 1999) + "…";
    }
}
