package io.miniflow.workspace;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Workspaces and members in Miniflow's tables; user names and e-mails come from Camunda's identity tables. */
@Repository
class WorkspaceRepository {

    private static final String MEMBER_COLUMNS = """
        SELECT m.workspace_id, w.name AS workspace, m.username, u.EMAIL_ AS email, m.role, m.status, m.joined_at
        FROM mf_workspace_member m
        JOIN mf_workspace w ON w.id = m.workspace_id
        LEFT JOIN ACT_ID_USER u ON u.ID_ = m.username
        """;

    private final JdbcClient jdbc;

    WorkspaceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(NewWorkspace w, String createdBy, Instant now) {
        jdbc.sql("""
                INSERT INTO mf_workspace (name, business_scope, address, representative_name, representative_email,
                                          status, created_at, created_by)
                VALUES (?, ?, ?, ?, ?, 'ACTIVE', ?, ?)""")
            .params(w.name(), w.businessScope().trim(), w.address().trim(), w.representativeName().trim(),
                w.representativeEmail().trim(), Timestamp.from(now), createdBy)
            .update();
        return findByName(w.name()).orElseThrow().id();
    }

    Optional<Workspace> findByName(String name) {
        return jdbc.sql("SELECT * FROM mf_workspace WHERE name = ?").param(name).query(this::workspace).optional();
    }

    boolean existsIgnoringCase(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_workspace WHERE LOWER(name) = LOWER(?)").param(name)
            .query(Long.class).single() > 0;
    }

    List<Workspace> findAll() {
        return jdbc.sql("SELECT * FROM mf_workspace ORDER BY name").query(this::workspace).list();
    }

    List<Workspace> findActiveFor(String username) {
        return jdbc.sql("""
                SELECT w.* FROM mf_workspace w JOIN mf_workspace_member m ON m.workspace_id = w.id
                WHERE m.username = ? AND m.status = 'ACTIVE' ORDER BY w.name""")
            .param(username).query(this::workspace).list();
    }

    void insertMember(long workspaceId, String username, String role, Instant now) {
        jdbc.sql("""
                INSERT INTO mf_workspace_member (workspace_id, username, role, status, joined_at)
                VALUES (?, ?, ?, 'ACTIVE', ?)""")
            .params(workspaceId, username, role, Timestamp.from(now))
            .update();
    }

    Optional<Member> findMember(String workspace, String username) {
        return jdbc.sql(MEMBER_COLUMNS + " WHERE w.name = ? AND m.username = ?")
            .params(workspace, username).query(this::member).optional();
    }

    List<Member> findMembers(String workspace) {
        return jdbc.sql(MEMBER_COLUMNS + " WHERE w.name = ? ORDER BY m.username")
            .param(workspace).query(this::member).list();
    }

    List<Member> findMembershipsOf(String username) {
        return jdbc.sql(MEMBER_COLUMNS + " WHERE m.username = ? ORDER BY w.name")
            .param(username).query(this::member).list();
    }

    long countActiveAdmins(String workspace) {
        return jdbc.sql("""
                SELECT COUNT(*) FROM mf_workspace_member m JOIN mf_workspace w ON w.id = m.workspace_id
                WHERE w.name = ? AND m.role = 'workspace-admin' AND m.status = 'ACTIVE'""")
            .param(workspace).query(Long.class).single();
    }

    void updateRole(long workspaceId, String username, String role) {
        jdbc.sql("UPDATE mf_workspace_member SET role = ? WHERE workspace_id = ? AND username = ?")
            .params(role, workspaceId, username).update();
    }

    void updateStatus(long workspaceId, String username, MemberStatus status) {
        jdbc.sql("UPDATE mf_workspace_member SET status = ? WHERE workspace_id = ? AND username = ?")
            .params(status.name(), workspaceId, username).update();
    }

    private Workspace workspace(ResultSet rs, int row) throws SQLException {
        return new Workspace(rs.getLong("id"), rs.getString("name"), rs.getString("business_scope"),
            rs.getString("address"), rs.getString("representative_name"), rs.getString("representative_email"),
            rs.getString("status"), rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"));
    }

    private Member member(ResultSet rs, int row) throws SQLException {
        return new Member(rs.getLong("workspace_id"), rs.getString("workspace"), rs.getString("username"),
            rs.getString("email"), rs.getString("role"), MemberStatus.valueOf(rs.getString("status")),
            rs.getTimestamp("joined_at").toInstant());
    }

    Optional<String> webhookUrl(String workspace) {
        return jdbc.sql("SELECT webhook_url FROM mf_workspace WHERE name = ?").param(workspace)
            .query(String.class).optional();
    }

    void setWebhookUrl(String workspace, String url) {
        jdbc.sql("UPDATE mf_workspace SET webhook_url = ? WHERE name = ?").params(url, workspace).update();
    }
}
