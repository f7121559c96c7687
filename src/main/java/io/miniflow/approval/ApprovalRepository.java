package io.miniflow.approval;

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
import org.springframework.util.StringUtils;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

/** mf_approval, mf_approval_decision and mf_approval_policy. */
@Repository
public class ApprovalRepository {

    private static final String COLUMNS = "id, workspace, category, title, object_name, object_version, environment,"
        + " applicant, required_approvals, status, outcome_reason, process_instance_id, created_at, finished_at";

    private final JdbcClient jdbc;

    ApprovalRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(NewApplication app, int requiredApprovals, String processInstanceId, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                INSERT INTO mf_approval (workspace, category, title, object_name, object_version, environment, applicant,
                    required_approvals, status, process_instance_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .params(app.workspace(), app.category().name(), app.title(), app.objectName(), app.objectVersion(),
                app.environment(), app.applicant(), requiredApprovals, ApprovalStatus.PENDING.name(), processInstanceId,
                Timestamp.from(now))
            .update(keys, "id");
        return keys.getKey().longValue();
    }

    public Optional<Approval> findById(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mf_approval WHERE id = ?").param(id).query(this::map).optional();
    }

    Optional<Approval> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM mf_approval WHERE process_instance_id = ?")
            .param(processInstanceId).query(this::map).optional();
    }

    PageResult<Approval> find(ApprovalQuery query, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (query.status() != null) {
            where.append(" AND status = ?");
            args.add(query.status().name());
        }
        if (query.category() != null) {
            where.append(" AND category = ?");
            args.add(query.category().name());
        }
        if (StringUtils.hasText(query.applicant())) {
            where.append(" AND applicant = ?");
            args.add(query.applicant().trim());
        }
        if (StringUtils.hasText(query.text())) {
            where.append(" AND (LOWER(title) LIKE ? OR LOWER(object_name) LIKE ?)");
            String like = "%" + query.text().trim().toLowerCase() + "%";
            args.add(like);
            args.add(like);
        }
        if (query.reviewableWorkspaces() != null) {
            // Reviewers see their workspaces' applications; everyone sees their own.
            where.append(" AND (applicant = ?");
            args.add(query.viewer());
            for (String ws : query.reviewableWorkspaces()) {
                where.append(" OR workspace = ?");
                args.add(ws);
            }
            where.append(")");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_approval" + where).params(args).query(Long.class).single();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size());
        pageArgs.add(page.offset());
        List<Approval> rows = jdbc.sql("SELECT " + COLUMNS + " FROM mf_approval" + where
                + " ORDER BY id DESC LIMIT ? OFFSET ?")
            .params(pageArgs).query(this::map).list();
        return new PageResult<>(rows, page, total);
    }

    public List<ReviewerDecision> decisions(long approvalId) {
        return jdbc.sql("SELECT decided_by, decision, comment, decided_at FROM mf_approval_decision"
                + " WHERE approval_id = ? ORDER BY id")
            .param(approvalId)
            .query((rs, i) -> new ReviewerDecision(rs.getString("decided_by"), Decision.valueOf(rs.getString("decision")),
                rs.getString("comment"), rs.getTimestamp("decided_at").toInstant()))
            .list();
    }

    void addDecision(long approvalId, ReviewerDecision decision) {
        jdbc.sql("INSERT INTO mf_approval_decision (approval_id, decided_by, decision, comment, decided_at)"
                + " VALUES (?, ?, ?, ?, ?)")
            .params(approvalId, decision.decidedBy(), decision.decision().name(), decision.comment(),
                Timestamp.from(decision.decidedAt()))
            .update();
    }

    /** Ends a pending application; false when it had already ended (a replayed job must not change the outcome). */
    boolean close(long approvalId, ApprovalStatus status, String reason, Instant now) {
        return jdbc.sql("UPDATE mf_approval SET status = ?, outcome_reason = ?, finished_at = ?"
                + " WHERE id = ? AND status = ?")
            .params(status.name(), reason, Timestamp.from(now), approvalId, ApprovalStatus.PENDING.name())
            .update() == 1;
    }

    void markReminded(long approvalId, Instant now) {
        jdbc.sql("UPDATE mf_approval SET reminded_at = ? WHERE id = ?").params(Timestamp.from(now), approvalId).update();
    }

    /** Approvals needed by policy for this workspace, category and environment (an environment policy wins). */
    int requiredApprovals(String workspace, ApprovalCategory category, String environment) {
        return jdbc.sql("""
                SELECT required_approvals FROM mf_approval_policy
                WHERE workspace = ? AND category = ? AND (environment = ? OR environment = '*')
                ORDER BY CASE WHEN environment = '*' THEN 1 ELSE 0 END""")
            .params(workspace, category.name(), environment == null ? "*" : environment)
            .query(Integer.class).list().stream().findFirst().orElse(1);
    }

    void setPolicy(String workspace, ApprovalCategory category, String environment, int requiredApprovals) {
        String env = environment == null ? "*" : environment;
        int updated = jdbc.sql("UPDATE mf_approval_policy SET required_approvals = ?"
                + " WHERE workspace = ? AND category = ? AND environment = ?")
            .params(requiredApprovals, workspace, category.name(), env).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO mf_approval_policy (workspace, category, environment, required_approvals)"
                    + " VALUES (?, ?, ?, ?)")
                .params(workspace, category.name(), env, requiredApprovals).update();
        }
    }

    private Approval map(ResultSet rs, int row) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Approval(rs.getLong("id"), rs.getString("workspace"), ApprovalCategory.valueOf(rs.getString("category")),
            rs.getString("title"), rs.getString("object_name"), rs.getString("object_version"),
            rs.getString("environment"), rs.getString("applicant"), rs.getInt("required_approvals"),
            ApprovalStatus.valueOf(rs.getString("status")), rs.getString("outcome_reason"),
            rs.getString("process_instance_id"), rs.getTimestamp("created_at").toInstant(),
            finished == null ? null : finished.toInstant());
    }

    /** Filters of the approvals list; {@code reviewableWorkspaces == null} means every workspace. */
    record ApprovalQuery(ApprovalStatus status, ApprovalCategory category, String applicant, String text,
                         String viewer, List<String> reviewableWorkspaces) {
    }
}
