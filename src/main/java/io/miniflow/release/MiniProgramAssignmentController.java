package io.miniflow.release;

import java.util.Arrays;
import java.util.List;

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
 * The page of the mini programs a member is assigned to, linked from the workspace's members: search, paging,
 * assigning more (appids separated by commas, spaces or lines) and unassigning one after a confirmation page.
 */
@Controller
class MiniProgramAssignmentController {

    static final String VIEW_LIST = "workspaces/member-mini-programs";
    static final String VIEW_CONFIRM = "workspaces/member-mini-program-remove";
    private static final String PATH = "/workspaces/{workspace}/members/{username}/mini-programs";

    private final MiniProgramAssignments assignments;
    private final ConsoleText text;

    MiniProgramAssignmentController(MiniProgramAssignments assignments, ConsoleText text) {
        this.assignments = assignments;
        this.text = text;
    }

    @GetMapping(PATH)
    String list(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                @RequestParam(required = false) String q, @RequestParam(required = false) Integer page, Model model) {
        model.addAttribute("view", assignments.view(CurrentUser.from(auth), workspace, username, q,
            PageRequest.of(page, null)));
        return VIEW_LIST;
    }

    @PostMapping(PATH)
    String add(Authentication auth, @PathVariable String workspace, @PathVariable String username,
               @RequestParam(required = false) String appIds, RedirectAttributes redirect) {
        List<String> list = appIds == null || appIds.isBlank() ? List.of()
            : Arrays.stream(appIds.trim().split("[\\s,;]+")).toList();
        return act(redirect, workspace, username, () -> {
            assignments.add(CurrentUser.from(auth), workspace, username, list);
            redirect.addFlashAttribute("message", text.of("assignment.added", list.size(), username));
        });
    }

    @GetMapping(PATH + "/{appId}/remove")
    String confirmRemove(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                         @PathVariable String appId, Model model) {
        MiniProgramAssignments.AssignmentsView view = assignments.view(CurrentUser.from(auth), workspace, username,
            appId, PageRequest.of(1, PageRequest.MAX_SIZE));
        if (view.assignments().items().stream().noneMatch(a -> a.appId().equals(appId))) {
            throw MiniflowException.notFound("assignment.notFound", appId, username);
        }
        model.addAttribute("view", view);
        model.addAttribute("appId", appId);
        return VIEW_CONFIRM;
    }

    @PostMapping(PATH + "/{appId}/remove")
    String remove(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                  @PathVariable String appId, RedirectAttributes redirect) {
        return act(redirect, workspace, username, () -> {
            assignments.remove(CurrentUser.from(auth), workspace, username, appId);
            redirect.addFlashAttribute("message", text.of("assignment.removed", appId, username));
        });
    }

    /** Refusals of rights (403, 404) go to the error page; rules (400, 409) come back as a flash error. */
    private String act(RedirectAttributes redirect, String workspace, String username, Runnable change) {
        try {
            change.run();
        } catch (MiniflowException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        // The path's {workspace} and {username} are this request's own, encoded again by the redirect.
        return "redirect:" + PATH;
    }
}
