package io.miniflow.release;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.AuditActions.Action;
import io.miniflow.release.AuditActions.Outcome;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;

/**
 * Console side of the audit actions: the batch page's buttons (one mini program, or the ones ticked) lead to a
 * confirmation page that shows the platform's limits; confirming posts the action and comes back with what was done
 * and what the platform refused.
 */
@Controller
class AuditActionController {

    static final String CONFIRM_VIEW = "releases/confirm-audit-action";

    private final AuditActions actions;
    private final ReleaseBatchService releases;
    private final PlatformQuotaView quotas;
    private final ConsoleText text;

    AuditActionController(AuditActions actions, ReleaseBatchService releases, PlatformQuotaView quotas,
                          ConsoleText text) {
        this.actions = actions;
        this.releases = releases;
        this.quotas = quotas;
        this.text = text;
    }

    @GetMapping("/wechat/releases/{id}/audit-actions")
    String confirm(Authentication auth, @PathVariable long id, @RequestParam(required = false) String action,
                   @RequestParam(required = false) List<String> appIds, Model model, RedirectAttributes redirect) {
        ReleaseBatchService.BatchView view = releases.view(CurrentUser.from(auth), id, null, null, PageRequest.of(1, 1));
        List<String> selection = clean(appIds);
        if (selection.isEmpty()) {
            redirect.addFlashAttribute("error", text.of("auditAction.appIdsRequired"));
            return "redirect:/wechat/releases/" + id;
        }
        model.addAttribute("batch", view.batch());
        model.addAttribute("action", Action.ofPath(action == null ? "" : action));
        model.addAttribute("appIds", selection);
        model.addAttribute("quotas", quotas.current(selection.get(0)).orElse(null));
        return CONFIRM_VIEW;
    }

    @PostMapping("/wechat/releases/{id}/audit-actions")
    String act(Authentication auth, @PathVariable long id, @RequestParam(required = false) String action,
               @RequestParam(required = false) List<String> appIds, RedirectAttributes redirect) {
        try {
            Outcome outcome = actions.act(CurrentUser.from(auth), id, clean(appIds),
                Action.ofPath(action == null ? "" : action));
            if (!outcome.done().isEmpty()) {
                redirect.addFlashAttribute("message", text.of("auditAction.done." + action, outcome.done().size(),
                    String.join(", ", outcome.done())));
            }
            if (!outcome.refused().isEmpty()) {
                List<String> lines = new ArrayList<>();
                outcome.refused().forEach(r -> lines.add(r.appId() + ": " + r.message()));
                redirect.addFlashAttribute("error", text.of("auditAction.refused", String.join("; ", lines)));
            }
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/wechat/releases/" + id;
    }

    private static List<String> clean(List<String> appIds) {
        return appIds == null ? List.of() : new ArrayList<>(new LinkedHashSet<>(appIds.stream()
            .filter(a -> a != null && !a.isBlank()).map(String::trim).toList()));
    }
}
