package io.miniflow.console;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.AuditLog.AuditQuery;
import io.miniflow.shared.PageRequest;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The audit trail, filtered by actor, action, workspace and free text, newest first, in pages. */
@Controller
class AuditLogController {

    static final String VIEW = "audit/list";

    private final AuditLog auditLog;
    private final WorkspaceAccess workspaceAccess;

    AuditLogController(AuditLog auditLog, WorkspaceAccess workspaceAccess) {
        this.auditLog = auditLog;
        this.workspaceAccess = workspaceAccess;
    }

    @GetMapping("/audit")
    String list(Authentication auth, @RequestParam(required = false) String actor,
                @RequestParam(required = false) String action, @RequestParam(required = false) String workspace,
                @RequestParam(required = false) String q, @RequestParam(required = false) Integer page, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        AuditQuery query = new AuditQuery(actor, action, workspace, q, user.username(),
            workspaceAccess.visibleWorkspaces(user));
        model.addAttribute("entries", auditLog.find(query, PageRequest.of(page, null)));
        model.addAttribute("filter", query);
        return VIEW;
    }
}
