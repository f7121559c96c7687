package io.miniflow.release;

import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.AuditActions.Action;
import io.miniflow.release.AuditActions.Outcome;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * JSON API of the audit actions on a batch's mini programs (docs/api.md): undo or speed up a running audit, submit a
 * withdrawn one again, for one mini program or a selection; and the platform's quotas.
 */
@RestController
@RequestMapping("/api/wechat/releases")
class AuditActionApiController {

    private final AuditActions actions;
    private final PlatformQuotaView quotas;
    private final WorkspaceAccess access;

    AuditActionApiController(AuditActions actions, PlatformQuotaView quotas, WorkspaceAccess access) {
        this.actions = actions;
        this.quotas = quotas;
        this.access = access;
    }

    @PostMapping("/{id}/items/{appId}/{action:undo-audit|speed-up-audit|submit-again}")
    ReleaseItem actOnOne(Authentication auth, @PathVariable long id, @PathVariable String appId,
                         @PathVariable String action) {
        if (!appId.matches(ReleaseBatchService.APP_ID_REGEX)) {
            throw MiniflowException.badRequest("release.appIdMalformed", appId);
        }
        return actions.act(CurrentUser.from(auth), id, appId, Action.ofPath(action));
    }

    @PostMapping("/{id}/{action:undo-audit|speed-up-audit|submit-again}")
    Outcome actOnSelection(Authentication auth, @PathVariable long id, @PathVariable String action,
                           @Valid @RequestBody Selection body) {
        return actions.act(CurrentUser.from(auth), id, body.appIds(), Action.ofPath(action));
    }

    /** This month's audit and speed-up quotas, as the platform answers (any member of a workspace may look). */
    @GetMapping("/quota")
    Map<String, Object> quota(Authentication auth) {
        access.requireSomeWorkspace(CurrentUser.from(auth));
        return quotas.current(null).<Map<String, Object>>map(q -> Map.of("auditRemaining", q.auditRemaining(),
                "auditLimit", q.auditLimit(), "speedUpRemaining", q.speedUpRemaining(), "speedUpLimit",
                q.speedUpLimit()))
            .orElseThrow(() -> new MiniflowException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                "auditAction.quotaUnavailable"));
    }

    record Selection(
        @NotEmpty(message = "{auditAction.appIdsRequired}")
        @Size(max = AuditActions.MAX_SELECTION, message = "{auditAction.tooMany}")
        List<@NotNull(message = "{error.list.nullItem}")
            @Pattern(regexp = ReleaseBatchService.APP_ID_REGEX, message = "{release.appId.pattern}") String> appIds) {
    }
}
