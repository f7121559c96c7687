package io.miniflow.release;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

/** mf_release_batch and mf_release_item. */
@Repository
public class ReleaseBatchRepository {

    private final JdbcClient jdbc;

    ReleaseBatchRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insertBatch(String workspace, long templateId, String userVersion, String userDesc, String grayPlan,
                     boolean grayApproval, int concurrency, int failureThreshold, Long retryOf, String createdBy,
                     int miniPrograms, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO mf_release_batch (workspace, template_id, user_version, user_desc, gray_plan, gray_approval,
                    concurrency, failure_threshold, in_flight, status, retry_of, created_by, created_at, unfinished)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)""")
            .params(workspace, templateId, userVersion, userDesc, grayPlan, grayApproval, concurrency, failureThreshold,
                BatchStatus.RUNNING.name(), retryOf, createdBy, Timestamp.from(now), miniPrograms)
            .update(keys, "id");
        return keys.getKey().longValue();
    }

    void insertItems(long batchId, List<String> appIds, Instant now) {
        List<Object[]> rows = appIds.stream()
            .map(a -> new Object[] {batchId, a, ItemStage.QUEUED.name(), Timestamp.from(now)}).toList();
        for (int from = 0; from < rows.size(); from += 500) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + 500));
            StringBuilder sql = new StringBuilder(
                "INSERT INTO mf_release_item (batch_id, app_id, stage, updated_at) VALUES ");
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
                args.addAll(List.of(chunk.get(i)));
            }
            jdbc.sql(sql.toString()).params(args).update();
        }
    }

    void setProcessInstance(long batchId, String processInstanceId) {
        jdbc.sql("UPDATE mf_release_batch SET process_instance_id = ? WHERE id = ?").params(processInstanceId, batchId)
            .update();
    }

    public Optional<ReleaseBatch> findBatch(long id) {
        return jdbc.sql("SELECT * FROM mf_release_batch WHERE id = ?").param(id).query(this::mapBatch).optional();
    }

    List<ReleaseBatch> activeBatches() {
        return jdbc.sql("SELECT * FROM mf_release_batch WHERE status IN ('RUNNING', 'PAUSED', 'HALTED') ORDER BY id")
            .query(this::mapBatch).list();
    }

    Optional<ReleaseBatch> activeBatchOfTemplate(long templateId) {
        return jdbc.sql("SELECT * FROM mf_release_batch WHERE template_id = ? AND status IN ('RUNNING', 'PAUSED', 'HALTED')")
            .param(templateId).query(this::mapBatch).list().stream().findFirst();
    }

    PageResult<ReleaseBatch> batches(List<String> workspaces, PageRequest page) {
        String where = workspaces == null ? "" : workspaces.isEmpty() ? " WHERE 1=0"
            : " WHERE workspace IN (" + String.join(",", workspaces.stream().map(w -> "?").toList()) + ")";
        List<Object> args = workspaces == null ? new ArrayList<>() : new ArrayList<>(workspaces);
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_release_batch" + where).params(args).query(Long.class).single();
        args.add(page.size());
        args.add(page.offset());
        return new PageResult<>(jdbc.sql("SELECT * FROM mf_release_batch" + where + " ORDER BY id DESC LIMIT ? OFFSET ?")
            .params(args).query(this::mapBatch).list(), page, total);
    }

    /** Sets the status unless the batch already ended; returns whether it changed. */
    boolean setStatus(long batchId, BatchStatus from, BatchStatus to, String reason, Instant now) {
        return jdbc.sql("UPDATE mf_release_batch SET status = ?, status_reason = ?, finished_at = ? WHERE id = ? AND status = ?")
            .params(to.name(), reason, to.isActive() ? null : Timestamp.from(now), batchId, from.name()).update() == 1;
    }

    /** The batch has passed its audit-quota check: the dispatcher may start its mini programs from now on. */
    void beginReleasing(long batchId, Instant now) {
        jdbc.sql("UPDATE mf_release_batch SET releasing_since = COALESCE(releasing_since, ?) WHERE id = ?")
            .params(Timestamp.from(now), batchId).update();
    }

    /** A mini program of a batch that has not been started yet. */
    record Queued(long itemId, String appId) {
    }

    /** The batch's mini programs not started yet, in the order they were added. */
    List<Queued> queued(long batchId, int limit) {
        return jdbc.sql("SELECT id, app_id FROM mf_release_item WHERE batch_id = ? AND stage = 'QUEUED' ORDER BY id LIMIT ?")
            .params(batchId, limit).query((rs, n) -> new Queued(rs.getLong(1), rs.getString(2))).list();
    }

    /**
     * Marks a queued item as started and holding a start slot; false when another node started it first. Its row stays
     * locked until the caller's transaction ends, so the batch's slots are taken after the items' rows, in every caller.
     */
    boolean claimQueued(long itemId, Instant now) {
        return jdbc.sql("UPDATE mf_release_item SET stage = 'STARTED', holds_slot = TRUE, updated_at = ?"
                + " WHERE id = ? AND stage = 'QUEUED'").params(Timestamp.from(now), itemId).update() == 1;
    }

    /** Takes {@code count} start slots if the batch runs, releases and has room for all of them. */
    boolean takeSlots(long batchId, int count) {
        return jdbc.sql("UPDATE mf_release_batch SET in_flight = in_flight + ? WHERE id = ? AND status = 'RUNNING'"
                + " AND releasing_since IS NOT NULL AND in_flight + ? <= concurrency")
            .params(count, batchId, count).update() == 1;
    }

    /** Gives the item's slot back if it holds one. */
    void freeSlot(long batchId, long itemId) {
        if (jdbc.sql("UPDATE mf_release_item SET holds_slot = FALSE WHERE id = ? AND holds_slot = TRUE").param(itemId)
                .update() == 1) {
            jdbc.sql("UPDATE mf_release_batch SET in_flight = in_flight - 1 WHERE id = ? AND in_flight > 0")
                .param(batchId).update();
        }
    }

    /**
     * A mini program's release ended (in the transaction that ends it): gives back its slot if it still holds one and
     * counts the batch's unfinished releases down, in one update of the batch's row.
     */
    void releaseEnded(long batchId, long itemId) {
        int freed = jdbc.sql("UPDATE mf_release_item SET holds_slot = FALSE WHERE id = ? AND holds_slot = TRUE")
            .param(itemId).update();
        jdbc.sql("UPDATE mf_release_batch SET unfinished = unfinished - 1, in_flight = GREATEST(in_flight - ?, 0)"
                + " WHERE id = ?")
            .params(freed, batchId).update();
    }

    // --- items

    /** Some of the batch's mini programs, in the order they were added. */
    List<String> appIds(long batchId, int offset, int limit) {
        return jdbc.sql("SELECT app_id FROM mf_release_item WHERE batch_id = ? ORDER BY id LIMIT ? OFFSET ?")
            .params(batchId, limit, offset).query(String.class).list();
    }

    long itemCount(long batchId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ?").param(batchId).query(Long.class)
            .single();
    }

    Optional<ReleaseItem> item(long batchId, String appId) {
        return jdbc.sql("SELECT * FROM mf_release_item WHERE batch_id = ? AND app_id = ?").params(batchId, appId)
            .query(this::mapItem).optional();
    }

    Optional<ReleaseItem> itemById(long itemId) {
        return jdbc.sql("SELECT * FROM mf_release_item WHERE id = ?").param(itemId).query(this::mapItem).optional();
    }

    List<ReleaseItem> itemsInStage(long batchId, ItemStage stage, int limit) {
        return jdbc.sql("SELECT * FROM mf_release_item WHERE batch_id = ? AND stage = ? ORDER BY id LIMIT ?")
            .params(batchId, stage.name(), limit).query(this::mapItem).list();
    }

    PageResult<ReleaseItem> items(long batchId, ItemStage stage, String text, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE batch_id = ?");
        List<Object> args = new ArrayList<>(List.of(batchId));
        if (stage != null) {
            where.append(" AND stage = ?");
            args.add(stage.name());
        }
        if (text != null && !text.isBlank()) {
            where.append(" AND LOWER(app_id) LIKE ?");
            args.add("%" + text.trim().toLowerCase() + "%");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_release_item" + where).params(args).query(Long.class).single();
        args.add(page.size());
        args.add(page.offset());
        return new PageResult<>(jdbc.sql("SELECT * FROM mf_release_item" + where + " ORDER BY id LIMIT ? OFFSET ?")
            .params(args).query(this::mapItem).list(), page, total);
    }

    Map<ItemStage, Long> countsByStage(long batchId) {
        Map<ItemStage, Long> counts = new EnumMap<>(ItemStage.class);
        for (ItemStage s : ItemStage.values()) {
            counts.put(s, 0L);
        }
        jdbc.sql("SELECT stage, COUNT(*) AS n FROM mf_release_item WHERE batch_id = ? GROUP BY stage").param(batchId)
            .query((rs, i) -> counts.put(ItemStage.valueOf(rs.getString("stage")), rs.getLong("n"))).list();
        return counts;
    }

    /** Moves an item to a stage unless it already reached a final one (a late listener must not undo an outcome). */
    void setStage(long itemId, ItemStage stage, String error, String processInstanceId, Instant now) {
        jdbc.sql("UPDATE mf_release_item SET stage = ?, last_error = COALESCE(?, last_error),"
                + " process_instance_id = COALESCE(?, process_instance_id), updated_at = ?"
                + " WHERE id = ? AND (stage NOT IN ('RELEASED', 'FAILED', 'ROLLED_BACK', 'CANCELLED') OR ? IN ('ROLLING_BACK', 'ROLLED_BACK'))")
            .params(stage.name(), error, processInstanceId, Timestamp.from(now), itemId, stage.name()).update();
    }

    void cancelOpenItems(long batchId, Instant now) {
        jdbc.sql("UPDATE mf_release_item SET stage = 'CANCELLED', updated_at = ? WHERE batch_id = ?"
                + " AND stage NOT IN ('RELEASED', 'FAILED', 'ROLLED_BACK', 'CANCELLED')")
            .params(Timestamp.from(now), batchId).update();
    }

    long failures(long batchId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_release_item WHERE batch_id = ? AND stage IN ('FAILED', 'REJECTED')")
            .param(batchId).query(Long.class).single();
    }

    private ReleaseBatch mapBatch(ResultSet rs, int row) throws SQLException {
        long retry = rs.getLong("retry_of");
        Long retryOf = rs.wasNull() ? null : retry;
        Timestamp finished = rs.getTimestamp("finished_at");
        Timestamp releasing = rs.getTimestamp("releasing_since");
        return new ReleaseBatch(rs.getLong("id"), rs.getString("workspace"), rs.getLong("template_id"),
            rs.getString("user_version"), rs.getString("user_desc"), rs.getString("gray_plan"),
            rs.getBoolean("gray_approval"), rs.getInt("concurrency"),
            rs.getInt("failure_threshold"), rs.getInt("in_flight"), BatchStatus.valueOf(rs.getString("status")),
            rs.getString("status_reason"), rs.getString("process_instance_id"), retryOf, rs.getString("created_by"),
            rs.getTimestamp("created_at").toInstant(), finished == null ? null : finished.toInstant(),
            releasing == null ? null : releasing.toInstant(), rs.getInt("unfinished"));
    }

    private ReleaseItem mapItem(ResultSet rs, int row) throws SQLException {
        return new ReleaseItem(rs.getLong("id"), rs.getLong("batch_id"), rs.getString("app_id"),
            ItemStage.valueOf(rs.getString("stage")), rs.getString("last_error"), rs.getString("process_instance_id"),
            rs.getTimestamp("updated_at").toInstant());
    }
}
