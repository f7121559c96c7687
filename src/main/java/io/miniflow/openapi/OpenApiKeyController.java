package io.miniflow.openapi;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The Team keys page of a workspace: members see the keys, admins create (secret shown once) and revoke. */
@Controller
class OpenApiKeyController {

    static final String VIEW_KEYS = "workspaces/openapi-keys";

    private final OpenApiKeyService keys;
    private final WorkspaceAccess access;
    private final ConsoleText text;

    OpenApiKeyController(OpenApiKeyService keys, WorkspaceAccess access, ConsoleText text) {
        this.keys = keys;
        this.access = access;
        this.text = text;
    }

    @GetMapping("/workspaces/{workspace}/openapi-keys")
    String list(Authentication auth, @PathVariable String workspace, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("workspace", access.requireMember(user, workspace));
        model.addAttribute("keys", keys.list(user, workspace));
        model.addAttribute("isAdmin", keys.mayManage(user, workspace));
        model.addAttribute("maxActive", OpenApiKeyService.MAX_ACTIVE);
        return VIEW_KEYS;
    }

    /** The new secret travels to the next page as a flash attribute (server side, one request), then is gone. */
    @PostMapping("/workspaces/{workspace}/openapi-keys")
    String create(Authentication auth, @PathVariable String workspace, RedirectAttributes redirect) {
        return act(redirect, workspace, () -> {
            NewOpenApiKey key = keys.create(CurrentUser.from(auth), workspace);
            redirect.addFlashAttribute("newKey", key);
            redirect.addFlashAttribute("message", text.of("openapi.key.created", key.appId()));
        });
    }

    @PostMapping("/workspaces/{workspace}/openapi-keys/{appId}/revoke")
    String revoke(Authentication auth, @PathVariable String workspace, @PathVariable String appId,
                  RedirectAttributes redirect) {
        return act(redirect, workspace, () -> {
            keys.revoke(CurrentUser.from(auth), workspace, appId);
            redirect.addFlashAttribute("message", text.of("openapi.key.revoked", appId));
        });
    }

    /** Refusals of rights (403, 404) go to the error page; rules (409) come back as a flash error. */
    private String act(RedirectAttributes redirect, String workspace, Runnable change) {
        try {
            change.run();
        } catch (MiniflowException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/workspaces/" + workspace + "/openapi-keys";
    }
}
