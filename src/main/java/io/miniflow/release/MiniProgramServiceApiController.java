package io.miniflow.release;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.ServiceChanges.Kind;
import io.miniflow.release.ServiceChanges.Requested;
import io.miniflow.release.ServiceChanges.ServiceState;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/**
 * JSON API of a mini program's service (docs/api.md): apply to suspend it (a removal application) or to restore it;
 * either acts only once review-approval approved it.
 */
@RestController
class MiniProgramServiceApiController {

    private final ServiceChanges changes;

    MiniProgramServiceApiController(ServiceChanges changes) {
        this.changes = changes;
    }

    @GetMapping("/api/wechat/mini-programs/{appId}/service")
    ServiceState state(Authentication auth, @PathVariable String appId) {
        return changes.state(CurrentUser.from(auth), appId);
    }

    @PostMapping("/api/wechat/mini-programs/{appId}/{action:suspend|restore}")
    ResponseEntity<Requested> request(Authentication auth, @PathVariable String appId, @PathVariable String action,
                                      @Valid @RequestBody(required = false) ServiceRequest body) {
        Requested requested = changes.request(CurrentUser.from(auth), appId,
            "suspend".equals(action) ? Kind.SUSPEND : Kind.RESTORE, body == null ? null : body.workspace());
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", requested.statusUrl()).body(requested);
    }

    /** {@code workspace}: whose reviewers decide; needed only by someone who may release in several workspaces. */
    record ServiceRequest(@Size(max = 64, message = "{error.reference.size}") String workspace) {
    }
}
