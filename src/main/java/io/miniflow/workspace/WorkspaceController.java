package io.miniflow.workspace;

import java.util.List;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

import jakarta.validation.Valid;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Console pages: workspace list, opening a workspace, its general tab and the members page (admins only). */
@Controller
class WorkspaceController {

    static final String VIEW_LIST = "workspaces/list";
    static final String VIEW_FORM = "workspaces/form";
    static final String VIEW_DETAIL = "workspaces/detail";
    static final String VIEW_CONFIRM = "workspaces/confirm";

    private final WorkspaceService workspaces;
    private final WorkspaceAccess access;
    private final ConsoleText text;
    private final MemberMiniPrograms memberMiniPrograms;

    WorkspaceController(WorkspaceService workspaces, WorkspaceAccess access, ConsoleText text,
                        MemberMiniPrograms memberMiniPrograms) {
        this.workspaces = workspaces;
        this.access = access;
        this.text = text;
        this.memberMiniPrograms = memberMiniPrograms;
    }

    @GetMapping("/workspaces")
    String list(Authentication auth, Model model) {
        model.addAttribute("workspaces", workspaces.visibleTo(CurrentUser.from(auth)));
        return VIEW_LIST;
    }

    @GetMapping("/workspaces/new")
    String newForm(Authentication auth, Model model) {
        requireCamundaAdmin(auth);
        model.addAttribute("workspace", new NewWorkspace("", "", "", "", ""));
        return VIEW_FORM;
    }

    @PostMapping("/workspaces")
    String create(Authentication auth, @Valid @ModelAttribute("workspace") NewWorkspace workspace,
                  BindingResult binding, RedirectAttributes redirect) {
        requireCamundaAdmin(auth);
        if (binding.hasErrors()) {
            return VIEW_FORM;
        }
        try {
            workspaces.create(CurrentUser.from(auth), workspace);
        } catch (MiniflowException e) {
            binding.reject(e.messageKey(), e.args(), e.messageKey());
            return VIEW_FORM;
        }
        redirect.addFlashAttribute("message", text.of("workspace.created", workspace.name()));
        return "redirect:/workspaces/" + workspace.name();
    }

    @GetMapping("/workspaces/{workspace}")
    String detail(Authentication auth, @PathVariable String workspace, @RequestParam(required = false) String q,
                  @RequestParam(required = false) Integer page, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        Workspace ws = access.requireMember(user, workspace);
        model.addAttribute("workspace", ws);
        boolean admin = user.has(Roles.CAMUNDA_ADMIN) || access.isActiveAdmin(user.username(), workspace);
        model.addAttribute("isAdmin", admin);
        // Searched (part of the user name or e-mail) and paged here: a workspace has at most a few hundred members.
        String text = q == null ? "" : q.strip().toLowerCase(java.util.Locale.ROOT);
        List<Member> matching = (admin ? workspaces.members(user, workspace) : List.<Member>of()).stream()
            .filter(m -> text.isEmpty() || m.username().toLowerCase(java.util.Locale.ROOT).contains(text)
                || (m.email() != null && m.email().toLowerCase(java.util.Locale.ROOT).contains(text)))
            .toList();
        PageRequest request = PageRequest.of(page == null || page < 1 ? 1 : page, null);
        PageResult<Member> members = new PageResult<>(matching.stream().skip(request.offset()).limit(request.size())
            .toList(), request, matching.size());
        model.addAttribute("members", members.items());
        model.addAttribute("memberPage", members);
        model.addAttribute("assigned", admin ? memberMiniPrograms.countsByMember(ws.id()) : java.util.Map.of());
        model.addAttribute("roles", Roles.WORKSPACE_ROLES);
        return VIEW_DETAIL;
    }

    @PostMapping("/workspaces/{workspace}/members")
    String invite(Authentication auth, @PathVariable String workspace, @RequestParam String user,
                  @RequestParam String role, RedirectAttributes redirect) {
        // Several names separated by commas, spaces or lines invite them all at once (or none, with the reason).
        List<String> several = java.util.Arrays.stream(user.trim().split("[\\s,;]+"))
            .filter(u -> !u.isEmpty()).toList();
        if (several.size() > 1) {
            return act(redirect, workspace, () -> workspaces.inviteAll(CurrentUser.from(auth), workspace, several, role),
                "member.invitedAll", String.join(", ", several));
        }
        return act(redirect, workspace, () -> workspaces.invite(CurrentUser.from(auth), workspace, user, role),
            "member.invited", user);
    }

    /** The confirmation step before a role change, a block or an unblock. */
    @GetMapping("/workspaces/{workspace}/members/{username}/{action:role|block|unblock}")
    String confirm(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                   @PathVariable String action, @RequestParam(required = false) String role, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("workspace", access.requireAdmin(user, workspace));
        model.addAttribute("member", workspaces.membership(workspace, username)
            .orElseThrow(() -> MiniflowException.notFound("member.notFound", username, workspace)));
        model.addAttribute("action", action);
        model.addAttribute("role", role);
        return VIEW_CONFIRM;
    }

    @PostMapping("/workspaces/{workspace}/members/{username}/role")
    String changeRole(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                      @RequestParam String role, RedirectAttributes redirect) {
        return act(redirect, workspace,
            () -> workspaces.changeRole(CurrentUser.from(auth), workspace, username, role), "member.roleChanged",
            username);
    }

    @PostMapping("/workspaces/{workspace}/members/{username}/block")
    String block(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                 RedirectAttributes redirect) {
        return act(redirect, workspace, () -> workspaces.block(CurrentUser.from(auth), workspace, username),
            "member.blockedDone", username);
    }

    @PostMapping("/workspaces/{workspace}/members/{username}/unblock")
    String unblock(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                   RedirectAttributes redirect) {
        return act(redirect, workspace, () -> workspaces.unblock(CurrentUser.from(auth), workspace, username),
            "member.unblockedDone", username);
    }

    private String act(RedirectAttributes redirect, String workspace, Runnable change, String doneKey, String who) {
        try {
            change.run();
            redirect.addFlashAttribute("message", text.of(doneKey, who));
        } catch (MiniflowException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/workspaces/" + workspace;
    }

    private static void requireCamundaAdmin(Authentication auth) {
        if (!CurrentUser.from(auth).has(Roles.CAMUNDA_ADMIN)) {
            throw MiniflowException.forbidden("workspace.createAdminOnly");
        }
    }

}
