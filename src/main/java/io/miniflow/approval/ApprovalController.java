package io.miniflow.approval;

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
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;

/** Console pages of approvals: the list (its columns, filters, paging) and one application with its decisions. */
@Controller
class ApprovalController {

    private final ApprovalService approvals;
    private final ConsoleText text;

    ApprovalController(ApprovalService approvals, ConsoleText text) {
        this.approvals = approvals;
        this.text = text;
    }

    @GetMapping("/approvals")
    String list(Authentication auth, @RequestParam(required = false) String status,
                @RequestParam(required = false) String category, @RequestParam(required = false) String applicant,
                @RequestParam(required = false) String q, @RequestParam(required = false) Integer page, Model model) {
        model.addAttribute("approvals", approvals.list(CurrentUser.from(auth), status, category, applicant, q,
            PageRequest.of(page, null)));
        model.addAttribute("statuses", List.of(ApprovalStatus.values()));
        model.addAttribute("categories", List.of(ApprovalCategory.values()));
        return "approvals/list";
    }

    @GetMapping("/approvals/{id}")
    String detail(Authentication auth, @PathVariable long id, Model model) {
        model.addAttribute("detail", approvals.get(CurrentUser.from(auth), id));
        return "approvals/detail";
    }

    @PostMapping("/approvals/{id}/decision")
    String decide(Authentication auth, @PathVariable long id, @RequestParam(required = false) String decision,
                  @RequestParam(required = false) String comment, RedirectAttributes redirect) {
        try {
            approvals.decide(CurrentUser.from(auth), id, decision, comment);
            redirect.addFlashAttribute("message", text.of("approvals.decided"));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
            redirect.addFlashAttribute("comment", comment);
        }
        return "redirect:/approvals/" + id;
    }

    @GetMapping("/approvals/{id}/withdraw")
    String confirmWithdraw(Authentication auth, @PathVariable long id, Model model) {
        model.addAttribute("detail", approvals.get(CurrentUser.from(auth), id));
        return "approvals/withdraw";
    }

    @PostMapping("/approvals/{id}/withdraw")
    String withdraw(Authentication auth, @PathVariable long id, RedirectAttributes redirect) {
        try {
            approvals.withdraw(CurrentUser.from(auth), id);
            redirect.addFlashAttribute("message", text.of("approvals.withdrawn"));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/approvals/" + id;
    }

}
