package io.miniflow.shared;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Notes for people in the console (mf_notification): addressed to a workspace (everyone who reviews there) or to
 * one user, in both languages so the reader's language decides.
 */
@Component
public class Notifications {

    private final JdbcClient jdbc;
    private final Clock clock;

    public Notifications(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void notify(String workspace, String recipient, String textEn, String textZh, String link) {
        jdbc.sql("INSERT INTO mf_notification (workspace, recipient, text_en, text_zh, link, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
            .params(workspace, recipient, textEn, textZh, link, Timestamp.from(Instant.now(clock)))
            .update();
    }

    /** The latest notes for this user: their own, and those of the workspaces they review. */
    public List<Notification> latestFor(String username, List<String> reviewedWorkspaces, int limit) {
        StringBuilder where = new StringBuilder("recipient = ?");
        List<Object> args = new ArrayList<>(List.of(username));
        for (String ws : reviewedWorkspaces) {
            where.append(" OR (recipient IS NULL AND workspace = ?)");
            args.add(ws);
        }
        args.add(limit);
        return jdbc.sql("SELECT id, workspace, text_en, text_zh, link, created_at FROM mf_notification WHERE "
                + where + " ORDER BY id DESC LIMIT ?")
            .params(args)
            .query((rs, i) -> new Notification(rs.getLong("id"), rs.getString("workspace"), rs.getString("text_en"),
                rs.getString("text_zh"), rs.getString("link"), rs.getTimestamp("created_at").toInstant()))
            .list();
    }

    public record Notification(long id, String workspace, String textEn, String textZh, String link, Instant createdAt) {

        public String text(java.util.Locale locale) {
            return "zh".equals(locale.getLanguage()) ? textZh : textEn;
        }
    }
}
