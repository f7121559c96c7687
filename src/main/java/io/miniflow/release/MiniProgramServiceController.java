package io.miniflow.release;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.ServiceChanges.Kind;
import io.miniflow.release.ServiceChanges.Requested;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;

/**
 * Console page of a mini program's service: whether it is suspended, the change waiting for approval, and the
 * buttons that file a suspension or restore application (each asks before it is sent).
 */
@Controller
class MiniProgramServiceController {

    private final ServiceChanges changes;
    private final ConsoleText text;

    MiniProgramServiceController(ServiceChanges changes, ConsoleText text) {
        this.changes = changes;
        this.text = text;
    }

    @GetMapping("/wechat/mini-programs/{appId}/service")
    String page(Authentication auth, @PathVariable String appId, Model model) {
        model.addAttribute("service", changes.state(CurrentUser.from(auth), appId));
        return "releases/service";
    }

    @PostMapping("/wechat/mini-programs/{appId}/service")
    String request(Authentication auth, @PathVariable String appId, @RequestParam(required = false) String action,
                   @RequestParam(required = false) String workspace, RedirectAttributes redirect) {
        try {
            Kind kind = "restore".equals(action) ? Kind.RESTORE : Kind.SUSPEND;
            Requested requested = changes.request(CurrentUser.from(auth), appId, kind, workspace);
            redirect.addFlashAttribute("message", text.of("service.requested", requested.approvalId()));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/wechat/mini-programs/" + appId + "/service";
    }
}
