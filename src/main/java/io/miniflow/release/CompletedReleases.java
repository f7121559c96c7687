package io.miniflow.release;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What a workspace released last: the template, version and description of its most recent completed template
 * release. A new tenant's mini program starts with it, so it runs what the other tenants run.
 */
@Component
public class CompletedReleases {

    public record ReleasedTemplate(long templateId, String userVersion, String userDesc) {
    }

    private final JdbcClient jdbc;
    private final TemplateLibrary templates;

    CompletedReleases(JdbcClient jdbc, TemplateLibrary templates) {
        this.jdbc = jdbc;
        this.templates = templates;
    }

    public Optional<ReleasedTemplate> latest(String workspace) {
        return jdbc.sql("SELECT template_id, user_version, user_desc FROM mf_release_batch WHERE workspace = ?"
                + " AND status = ? ORDER BY finished_at DESC, id DESC LIMIT 1")
            .params(workspace, BatchStatus.COMPLETED.name())
            .query((rs, i) -> new ReleasedTemplate(rs.getLong("template_id"), rs.getString("user_version"),
                rs.getString("user_desc")))
            .optional();
    }

    /** Whether the platform's template library holds it; throws when the platform cannot be asked. */
    public boolean templateExists(long templateId) {
        return templates.contains(templateId);
    }
}
