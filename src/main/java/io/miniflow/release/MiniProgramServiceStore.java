package io.miniflow.release;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** mf_mini_program_service: each mini program's service as Miniflow last set it, and the change waiting for approval. */
@Repository
class MiniProgramServiceStore {

    static final String OPEN = "OPEN";
    static final String SUSPENDED = "SUSPENDED";

    private static final String COLUMNS = "app_id, workspace, status, pending_action, pending_process_id, changed_at,"
        + " changed_by, approval_id, last_refusal";

    private final JdbcClient jdbc;

    MiniProgramServiceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Which of these mini programs are suspended: one query for a page of them. */
    Set<String> suspendedAmong(Collection<String> appIds) {
        if (appIds.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT app_id FROM mf_mini_program_service WHERE status = :status AND app_id IN (:ids)")
            .param("status", SUSPENDED).param("ids", appIds).query(String.class).list());
    }

    Optional<ServiceChanges.ServiceState> find(String appId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mf_mini_program_service WHERE app_id = ?").param(appId)
            .query(this::map).optional();
    }

    /**
     * Takes the mini program for one change waiting for approval; false when another change waits already. A mini
     * program never changed before gets its row (OPEN) here.
     */
    boolean reserve(String appId, String workspace, String action) {
        if (find(appId).isEmpty()) {
            try {
                jdbc.sql("INSERT INTO mf_mini_program_service (app_id, workspace, status, pending_action)"
                        + " VALUES (?, ?, ?, ?)")
                    .params(appId, workspace, OPEN, action).update();
                return true;
            } catch (org.springframework.dao.DuplicateKeyException sameMoment) {
                return false;
            }
        }
        return jdbc.sql("UPDATE mf_mini_program_service SET pending_action = ?, workspace = ?, last_refusal = NULL"
                + " WHERE app_id = ? AND pending_action IS NULL")
            .params(action, workspace, appId).update() == 1;
    }

    void pendingProcess(String appId, String processInstanceId) {
        jdbc.sql("UPDATE mf_mini_program_service SET pending_process_id = ? WHERE app_id = ?")
            .params(processInstanceId, appId).update();
    }

    void changed(String appId, String status, String by, long approvalId, Instant now) {
        jdbc.sql("UPDATE mf_mini_program_service SET status = ?, changed_at = ?, changed_by = ?, approval_id = ?,"
                + " last_refusal = NULL WHERE app_id = ?")
            .params(status, Timestamp.from(now), by, approvalId, appId).update();
    }

    void refused(String appId, String reason) {
        jdbc.sql("UPDATE mf_mini_program_service SET last_refusal = ? WHERE app_id = ?")
            .params(reason.length() > 500 ? reason.substring(0, 500) : reason, appId).update();
    }

    /** The change of this process instance no longer waits (done, refused, not approved or cancelled). */
    void release(String processInstanceId) {
        jdbc.sql("UPDATE mf_mini_program_service SET pending_action = NULL, pending_process_id = NULL"
                + " WHERE pending_process_id = ?")
            .param(processInstanceId).update();
    }

    private ServiceChanges.ServiceState map(ResultSet rs, int row) throws SQLException {
        Timestamp changed = rs.getTimestamp("changed_at");
        long approval = rs.getLong("approval_id");
        return new ServiceChanges.ServiceState(rs.getString("app_id"), rs.getString("workspace"),
            rs.getString("status"), rs.getString("pending_action"), rs.getString("pending_process_id"),
            changed == null ? null : changed.toInstant(), rs.getString("changed_by"),
            rs.wasNull() ? null : approval, rs.getString("last_refusal"));
    }
}
