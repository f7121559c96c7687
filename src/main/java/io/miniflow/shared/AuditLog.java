package io.miniflow.shared;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** Who did what, when, to which object: Miniflow's audit trail, kept in mf_audit_log. */
@Component
public class AuditLog {

    private static final int DETAIL_MAX = 2000;

    private final JdbcClient jdbc;
    private final Clock clock;

    public AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String actor, String action, String objectType, String objectId, String workspace, String detail) {
        jdbc.sql("""
                INSERT INTO mf_audit_log (occurred_at, actor, action, object_type, object_id, workspace, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?)""")
            .params(Timestamp.from(Instant.now(clock)), actor, action, objectType, objectId, workspace, truncate(detail))
            .update();
    }

    public PageResult<AuditEntry> find(AuditQuery query, PageRequest page) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        if (StringUtils.hasText(query.actor())) {
            where.append(" AND actor = ?");
            args.add(query.actor().trim());
        }
        if (StringUtils.hasText(query.action())) {
            where.append(" AND action = ?");
            args.add(query.action().trim());
        }
        if (StringUtils.hasText(query.workspace())) {
            where.append(" AND workspace = ?");
            args.add(query.workspace().trim());
        }
        if (StringUtils.hasText(query.text())) {
            where.append(" AND (LOWER(object_id) LIKE ? OR LOWER(detail) LIKE ?)");
            String like = "%" + query.text().trim().toLowerCase() + "%";
            args.add(like);
            args.add(like);
        }
        if (query.visibleWorkspaces() != null) {
            // Non-admins see entries of their workspaces and their own actions only.
            where.append(" AND (actor = ?");
            args.add(query.viewer());
            for (String ws : query.visibleWorkspaces()) {
                where.append(" OR workspace = ?");
                args.add(ws);
            }
            where.append(")");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_audit_log" + where).params(args).query(Long.class).single();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size());
        pageArgs.add(page.offset());
        List<AuditEntry> rows = jdbc.sql("SELECT id, occurred_at, actor, action, object_type, object_id, workspace, detail"
                + " FROM mf_audit_log" + where + " ORDER BY id DESC LIMIT ? OFFSET ?")
            .params(pageArgs)
            .query((rs, i) -> new AuditEntry(rs.getLong("id"), rs.getTimestamp("occurred_at").toInstant(),
                rs.getString("actor"), rs.getString("action"), rs.getString("object_type"), rs.getString("object_id"),
                rs.getString("workspace"), rs.getString("detail")))
            .list();
        return new PageResult<>(rows, page, total);
    }

    private static String truncate(String detail) {
        if (detail == null || detail.length() <= DETAIL_MAX) {
            return detail;
        }
        return detail.substring(0, DETAIL_MAX - 1) + "…";
    }

    /** One line of the audit trail. */
    public record AuditEntry(long id, Instant occurredAt, String actor, String action, String objectType,
                             String objectId, String workspace, String detail) {
    }

    /**
     * Filters for the audit list. {@code visibleWorkspaces == null} means "everything" (admins, operators).
     */
    public record AuditQuery(String actor, String action, String workspace, String text,
                             String viewer, List<String> visibleWorkspaces) {
    }
}
