package io.miniflow.workspace;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * mf_member_mini_program: the mini programs a member of a workspace is assigned to ("Assigned to Mini Program",
 * seed 004). What the assignments allow is decided in io.miniflow.release.MiniProgramAssignments.
 */
@Repository
public class MemberMiniPrograms {

    public record Assignment(String appId, String assignedBy, Instant assignedAt) {
    }

    private final JdbcClient jdbc;

    MemberMiniPrograms(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<String> appIds(long workspaceId, String username) {
        return jdbc.sql("SELECT app_id FROM mf_member_mini_program WHERE workspace_id = ? AND username = ?"
                + " ORDER BY app_id").params(workspaceId, username).query(String.class).list();
    }

    /** How many mini programs each member of the workspace is assigned to (members without any are missing). */
    public Map<String, Integer> countsByMember(long workspaceId) {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.sql("SELECT username, COUNT(*) AS n FROM mf_member_mini_program WHERE workspace_id = ? GROUP BY username")
            .param(workspaceId).query((rs, i) -> counts.put(rs.getString("username"), rs.getInt("n"))).list();
        return counts;
    }

    /** One page of a member's assignments by appid; {@code text} matches part of the appid. */
    public PageResult<Assignment> page(long workspaceId, String username, String text, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE workspace_id = ? AND username = ?");
        List<Object> args = new ArrayList<>(List.of(workspaceId, username));
        if (text != null && !text.isBlank()) {
            where.append(" AND LOWER(app_id) LIKE ?");
            args.add("%" + text.trim().toLowerCase() + "%");
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_member_mini_program" + where).params(args).query(Long.class)
            .single();
        args.add(page.size());
        args.add(page.offset());
        return new PageResult<>(jdbc.sql("SELECT app_id, assigned_by, assigned_at FROM mf_member_mini_program" + where
                + " ORDER BY app_id LIMIT ? OFFSET ?").params(args)
            .query((rs, i) -> new Assignment(rs.getString("app_id"), rs.getString("assigned_by"),
                rs.getTimestamp("assigned_at").toInstant())).list(), page, total);
    }

    public void insert(long workspaceId, String username, Collection<String> appIds, String by, Instant at) {
        for (String appId : appIds) {
            jdbc.sql("INSERT INTO mf_member_mini_program (workspace_id, username, app_id, assigned_by, assigned_at)"
                    + " VALUES (?, ?, ?, ?, ?)").params(workspaceId, username, appId, by, Timestamp.from(at)).update();
        }
    }

    /** True when the assignment existed. */
    public boolean delete(long workspaceId, String username, String appId) {
        return jdbc.sql("DELETE FROM mf_member_mini_program WHERE workspace_id = ? AND username = ? AND app_id = ?")
            .params(workspaceId, username, appId).update() == 1;
    }

    public int deleteAll(long workspaceId, String username) {
        return jdbc.sql("DELETE FROM mf_member_mini_program WHERE workspace_id = ? AND username = ?")
            .params(workspaceId, username).update();
    }
}
