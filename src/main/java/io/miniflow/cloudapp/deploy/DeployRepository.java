package io.miniflow.cloudapp.deploy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import io.miniflow.shared.crypto.EncryptedColumns;
import io.miniflow.shared.crypto.SecretBox;

/** mf_cloud_deploy and mf_cloud_deploy_server (V44). Logs are kept to their last {@link #LOG_LIMIT} characters. */
@Repository
class DeployRepository implements EncryptedColumns {

    static final int LOG_LIMIT = 64 * 1024;

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    DeployRepository(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public List<Column> encryptedColumns() {
        return List.of(new Column("mf_cloud_deploy", "download_token"));
    }

    // --- orders

    /** A WAITING order, active on the environment; DuplicateKeyException when another one is active. */
    long insert(String deployNo, long envId, long packageId, String version, String previousVersion,
                String requestedBy, String downloadToken, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO mf_cloud_deploy (deploy_no, env_id, package_id, version, previous_version, status,
                    requested_by, download_token, active_env_id, requested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .params(deployNo, envId, packageId, version, previousVersion, DeployStatus.WAITING.name(), requestedBy,
                secrets.encrypt(downloadToken), envId, ts(now))
            .update(keys, "id");
        return keys.getKey().longValue();
    }

    void setProcess(long id, String processInstanceId) {
        jdbc.sql("UPDATE mf_cloud_deploy SET process_instance_id = ? WHERE id = ?").params(processInstanceId, id)
            .update();
    }

    void setApproval(long id, long approvalId) {
        jdbc.sql("UPDATE mf_cloud_deploy SET approval_id = ? WHERE id = ?").params(approvalId, id).update();
    }

    Optional<Deploy> find(long id) {
        return jdbc.sql("SELECT * FROM mf_cloud_deploy WHERE id = ?").param(id).query(DeployRepository::deploy)
            .optional();
    }

    Optional<Deploy> findByNo(String deployNo) {
        return jdbc.sql("SELECT * FROM mf_cloud_deploy WHERE deploy_no = ?").param(deployNo)
            .query(DeployRepository::deploy).optional();
    }

    Optional<Deploy> active(long envId) {
        return jdbc.sql("SELECT * FROM mf_cloud_deploy WHERE active_env_id = ?").param(envId)
            .query(DeployRepository::deploy).optional();
    }

    /** The environment's orders, newest first. */
    List<Deploy> history(long envId, int limit, int offset) {
        return jdbc.sql("SELECT * FROM mf_cloud_deploy WHERE env_id = ? ORDER BY id DESC LIMIT ? OFFSET ?")
            .params(envId, limit, offset).query(DeployRepository::deploy).list();
    }

    long count(long envId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_deploy WHERE env_id = ?").param(envId).query(Long.class)
            .single();
    }

    /** The version the environment's last SUCCEEDED or ROLLED_BACK order left running, if any. */
    Optional<String> runningVersion(long envId) {
        return jdbc.sql("""
                SELECT CASE WHEN status = 'SUCCEEDED' THEN version ELSE previous_version END FROM mf_cloud_deploy
                WHERE env_id = ? AND status IN ('SUCCEEDED', 'ROLLED_BACK') ORDER BY id DESC LIMIT 1""")
            .param(envId).query(String.class).optional();
    }

    String downloadToken(long id) {
        return secrets.decrypt(jdbc.sql("SELECT download_token FROM mf_cloud_deploy WHERE id = ?").param(id)
            .query(String.class).single());
    }

    /** WAITING → RUNNING; false when it was not waiting (a repeated step). */
    boolean start(long id, Instant now) {
        return jdbc.sql("UPDATE mf_cloud_deploy SET status = ?, started_at = ? WHERE id = ? AND status = ?")
            .params(DeployStatus.RUNNING.name(), ts(now), id, DeployStatus.WAITING.name()).update() == 1;
    }

    /** Ends an active order; false when it had ended already (a repeated step). */
    boolean end(long id, DeployStatus status, String reason, Instant now) {
        return jdbc.sql("""
                UPDATE mf_cloud_deploy SET status = ?, reason = ?, ended_at = ?, active_env_id = NULL
                WHERE id = ? AND active_env_id IS NOT NULL""")
            .params(status.name(), truncate(reason, 2000), ts(now), id).update() == 1;
    }

    // --- servers

    /** Adds the server to the phase's plan; one already planned (a repeated step) is left as it is. */
    void plan(long deployId, Phase phase, int position, String instanceId, String version) {
        try {
            jdbc.sql("""
                    INSERT INTO mf_cloud_deploy_server (deploy_id, phase, position, instance_id, version, status)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                .params(deployId, phase.name(), position, instanceId, version, ServerStatus.PENDING.name()).update();
        } catch (DuplicateKeyException planned) {
            // planned by the first try of this step
        }
    }

    List<DeployServer> servers(long deployId) {
        return jdbc.sql("SELECT * FROM mf_cloud_deploy_server WHERE deploy_id = ? ORDER BY phase, position")
            .param(deployId).query(DeployRepository::server).list();
    }

    List<DeployServer> servers(long deployId, Phase phase) {
        return jdbc.sql("SELECT * FROM mf_cloud_deploy_server WHERE deploy_id = ? AND phase = ? ORDER BY position")
            .params(deployId, phase.name()).query(DeployRepository::server).list();
    }

    void drained(long id, Integer weight, Instant now) {
        jdbc.sql("UPDATE mf_cloud_deploy_server SET status = ?, weight = ?, started_at = ? WHERE id = ?")
            .params(ServerStatus.DRAINED.name(), weight, ts(now), id).update();
    }

    void installing(long id, String invocationId) {
        jdbc.sql("UPDATE mf_cloud_deploy_server SET status = ?, invocation_id = ? WHERE id = ?")
            .params(ServerStatus.INSTALLING.name(), invocationId, id).update();
    }

    void installed(long id, Logs logs, Instant healthDeadline) {
        jdbc.sql("""
                UPDATE mf_cloud_deploy_server SET status = ?, health_deadline = ?, xdeploy_log = ?, stdout_log = ?,
                    stderr_log = ? WHERE id = ?""")
            .params(ServerStatus.CHECKING.name(), ts(healthDeadline), tail(logs.xdeploy()), tail(logs.stdout()),
                tail(logs.stderr()), id)
            .update();
    }

    void healthChecking(long id, String invocationId, int checks, Instant now) {
        jdbc.sql("""
                UPDATE mf_cloud_deploy_server SET health_invocation_id = ?, health_checks = ?, health_checked_at = ?
                WHERE id = ?""")
            .params(invocationId, checks, ts(now), id).update();
    }

    void done(long id, Integer weight, String message, Instant now) {
        jdbc.sql("UPDATE mf_cloud_deploy_server SET status = ?, weight = ?, message = ?, ended_at = ? WHERE id = ?")
            .params(ServerStatus.DONE.name(), weight, truncate(message, 2000), ts(now), id).update();
    }

    /** FAILED with the reason; logs given replace the ones kept (null keeps them). */
    void failed(long id, String message, Logs logs, Instant now) {
        if (logs != null) {
            jdbc.sql("UPDATE mf_cloud_deploy_server SET xdeploy_log = ?, stdout_log = ?, stderr_log = ? WHERE id = ?")
                .params(tail(logs.xdeploy()), tail(logs.stdout()), tail(logs.stderr()), id).update();
        }
        jdbc.sql("UPDATE mf_cloud_deploy_server SET status = ?, message = ?, ended_at = ? WHERE id = ?")
            .params(ServerStatus.FAILED.name(), truncate(message, 2000), ts(now), id).update();
    }

    /** The three logs of an install, as the command's output carried them. */
    record Logs(String xdeploy, String stdout, String stderr) {
    }

    private static Deploy deploy(ResultSet rs, int i) throws SQLException {
        long approval = rs.getLong("approval_id");
        Long approvalId = rs.wasNull() ? null : approval;
        return new Deploy(rs.getLong("id"), rs.getString("deploy_no"), rs.getLong("env_id"), rs.getLong("package_id"),
            rs.getString("version"), rs.getString("previous_version"), DeployStatus.valueOf(rs.getString("status")),
            rs.getString("reason"), rs.getString("requested_by"), rs.getString("process_instance_id"), approvalId,
            instant(rs, "requested_at"), instant(rs, "started_at"), instant(rs, "ended_at"));
    }

    private static DeployServer server(ResultSet rs, int i) throws SQLException {
        int weight = rs.getInt("weight");
        Integer w = rs.wasNull() ? null : weight;
        return new DeployServer(rs.getLong("id"), rs.getLong("deploy_id"), Phase.valueOf(rs.getString("phase")),
            rs.getInt("position"), rs.getString("instance_id"), rs.getString("version"),
            ServerStatus.valueOf(rs.getString("status")), w, rs.getString("invocation_id"),
            rs.getString("health_invocation_id"), rs.getInt("health_checks"), instant(rs, "health_checked_at"),
            instant(rs, "health_deadline"),
            rs.getString("message"), rs.getString("xdeploy_log"), rs.getString("stdout_log"),
            rs.getString("stderr_log"), instant(rs, "started_at"), instant(rs, "ended_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String tail(String log) {
        return log == null || log.length() <= LOG_LIMIT ? log : log.substring(log.length() - LOG_LIMIT);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
