package io.miniflow.app;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.app.VersionRemovals.RemovalRequested;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;

/**
 * Console side of removing an environment's online version: the confirmation page names the version that goes back
 * online; confirming files a removal application, and nothing changes before it is approved.
 */
@Controller
class VersionRemovalController {

    private final VersionRemovals removals;
    private final ConsoleText text;

    VersionRemovalController(VersionRemovals removals, ConsoleText text) {
        this.removals = removals;
        this.text = text;
    }

    @GetMapping("/apps/{appCode}/environments/{envCode}/versions/{version}/removal")
    String confirm(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                   @PathVariable String version, Model model, RedirectAttributes redirect) {
        try {
            model.addAttribute("target", removals.check(CurrentUser.from(auth), appCode, envCode, version));
            return "apps/remove";
        } catch (MiniflowException e) {
            if (e.status() == HttpStatus.CONFLICT) {
                redirect.addFlashAttribute("error", text.of(e));
                return "redirect:/apps/" + appCode + "/environments/" + envCode;
            }
            throw e;
        }
    }

    @PostMapping("/apps/{appCode}/environments/{envCode}/versions/{version}/removal")
    String applyFromConsole(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                            @PathVariable String version, RedirectAttributes redirect) {
        try {
            RemovalRequested requested = removals.request(CurrentUser.from(auth), appCode, envCode, version);
            redirect.addFlashAttribute("message", text.of("removal.requested", requested.approvalId(), version));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/apps/" + appCode + "/environments/" + envCode;
    }
}
