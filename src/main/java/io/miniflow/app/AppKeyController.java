package io.miniflow.app;

import java.time.Clock;
import java.time.Instant;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The App keys page of an app, for its workspace's admins: the keys with search and paging, creating a key (its
 * secret shown once), and rotating or revoking one after a confirmation page.
 */
@Controller
class AppKeyController {

    static final String VIEW_KEYS = "apps/keys";
    static final String VIEW_CONFIRM = "apps/key-confirm";

    private final AppKeyService keys;
    private final ConsoleText text;
    private final Clock clock;

    AppKeyController(AppKeyService keys, ConsoleText text, Clock clock) {
        this.keys = keys;
        this.text = text;
        this.clock = clock;
    }

    @GetMapping("/apps/{appCode}/keys")
    String list(Authentication auth, @PathVariable String appCode, @RequestParam(required = false) String q,
                @RequestParam(required = false) Integer page, Model model) {
        model.addAttribute("view", keys.keys(CurrentUser.from(auth), appCode, q, PageRequest.of(page, null)));
        model.addAttribute("kinds", AppKeyKind.values());
        return VIEW_KEYS;
    }

    /** The new secret travels to the next page as a flash attribute (server side, one request), then is gone. */
    @PostMapping("/apps/{appCode}/keys")
    String create(Authentication auth, @PathVariable String appCode, @RequestParam(required = false) String kind,
                  RedirectAttributes redirect) {
        return act(redirect, appCode, () -> {
            NewAppKey key = keys.create(CurrentUser.from(auth), appCode, kind);
            redirect.addFlashAttribute("newKey", key);
            redirect.addFlashAttribute("message", text.of("appKeys.created", key.keyId()));
        });
    }

    @GetMapping("/apps/{appCode}/keys/{keyId}/rotate")
    String confirmRotate(Authentication auth, @PathVariable String appCode, @PathVariable String keyId, Model model) {
        return confirm(auth, appCode, keyId, "rotate", model);
    }

    @PostMapping("/apps/{appCode}/keys/{keyId}/rotate")
    String rotate(Authentication auth, @PathVariable String appCode, @PathVariable String keyId,
                  RedirectAttributes redirect) {
        return act(redirect, appCode, () -> {
            NewAppKey key = keys.rotate(CurrentUser.from(auth), appCode, keyId);
            redirect.addFlashAttribute("newKey", key);
            redirect.addFlashAttribute("message", text.of("appKeys.rotated", key.keyId(), key.previousKeyId(),
                key.previousExpiresAt()));
        });
    }

    @GetMapping("/apps/{appCode}/keys/{keyId}/revoke")
    String confirmRevoke(Authentication auth, @PathVariable String appCode, @PathVariable String keyId, Model model) {
        return confirm(auth, appCode, keyId, "revoke", model);
    }

    @PostMapping("/apps/{appCode}/keys/{keyId}/revoke")
    String revoke(Authentication auth, @PathVariable String appCode, @PathVariable String keyId,
                  RedirectAttributes redirect) {
        return act(redirect, appCode, () -> {
            keys.revoke(CurrentUser.from(auth), appCode, keyId);
            redirect.addFlashAttribute("message", text.of("appKeys.revokedDone", keyId));
        });
    }

    /** The confirmation page, for a key of this app only (404 otherwise), to its workspace's admins only. */
    private String confirm(Authentication auth, String appCode, String keyId, String action, Model model) {
        AppKeyService.KeysView view = keys.keys(CurrentUser.from(auth), appCode, keyId, PageRequest.of(1, 1));
        AppKey key = view.keys().items().stream().filter(k -> k.keyId().equals(keyId)).findFirst()
            .orElseThrow(() -> MiniflowException.notFound("appKey.notFound", keyId, appCode));
        model.addAttribute("app", view.app());
        model.addAttribute("key", key);
        model.addAttribute("action", action);
        model.addAttribute("overlap", view.settings().rotationOverlap());
        model.addAttribute("valid", key.validAt(Instant.now(clock)));
        return VIEW_CONFIRM;
    }

    /** Refusals of rights (403, 404) go to the error page; rules (400, 409) come back as a flash error. */
    private String act(RedirectAttributes redirect, String appCode, Runnable change) {
        try {
            change.run();
        } catch (MiniflowException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/apps/" + appCode + "/keys";
    }
}
