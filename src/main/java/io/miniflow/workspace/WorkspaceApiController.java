package io.miniflow.workspace;

import java.util.List;

import io.miniflow.identity.CurrentUser;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API for workspaces and members; the same rules as the console pages (WorkspaceService, WorkspaceAccess). */
@RestController
@RequestMapping("/api/workspaces")
class WorkspaceApiController {

    private final WorkspaceService workspaces;
    private final WorkspaceAccess access;

    WorkspaceApiController(WorkspaceService workspaces, WorkspaceAccess access) {
        this.workspaces = workspaces;
        this.access = access;
    }

    @GetMapping
    List<Workspace> list(Authentication auth) {
        return workspaces.visibleTo(CurrentUser.from(auth));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Workspace create(Authentication auth, @Valid @RequestBody NewWorkspace request) {
        return workspaces.create(CurrentUser.from(auth), request);
    }

    @GetMapping("/{workspace}")
    Workspace get(Authentication auth, @PathVariable String workspace) {
        return access.requireMember(CurrentUser.from(auth), workspace);
    }

    /** The URL that gets reminders of pending applications as a JSON POST; an empty url removes it. */
    @PutMapping("/{workspace}/webhook")
    java.util.Map<String, String> setWebhook(Authentication auth, @PathVariable String workspace,
                                             @RequestBody java.util.Map<String, String> body) {
        workspaces.setWebhookUrl(CurrentUser.from(auth), workspace, body.get("url"));
        return java.util.Map.of("url", workspaces.webhookUrl(workspace).orElse(""));
    }

    @GetMapping("/{workspace}/members")
    List<Member> members(Authentication auth, @PathVariable String workspace) {
        return workspaces.members(CurrentUser.from(auth), workspace);
    }

    @PostMapping("/{workspace}/members")
    @ResponseStatus(HttpStatus.CREATED)
    Member invite(Authentication auth, @PathVariable String workspace, @Valid @RequestBody Invitation body) {
        return workspaces.invite(CurrentUser.from(auth), workspace, body.user(), body.role());
    }

    /** Several members at once with one role, all or none (docs/api.md). */
    @PostMapping("/{workspace}/members/batch")
    @ResponseStatus(HttpStatus.CREATED)
    List<Member> inviteAll(Authentication auth, @PathVariable String workspace,
                           @Valid @RequestBody Invitations body) {
        return workspaces.inviteAll(CurrentUser.from(auth), workspace, body.users(), body.role());
    }

    @PutMapping("/{workspace}/members/{username}/role")
    Member changeRole(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                      @Valid @RequestBody RoleChange body) {
        return workspaces.changeRole(CurrentUser.from(auth), workspace, username, body.role());
    }

    @PostMapping("/{workspace}/members/{username}/block")
    Member block(Authentication auth, @PathVariable String workspace, @PathVariable String username) {
        return workspaces.block(CurrentUser.from(auth), workspace, username);
    }

    @PostMapping("/{workspace}/members/{username}/unblock")
    Member unblock(Authentication auth, @PathVariable String workspace, @PathVariable String username) {
        return workspaces.unblock(CurrentUser.from(auth), workspace, username);
    }

    record Invitation(@NotBlank(message = "{member.user.required}")
                      @Size(max = 255, message = "{member.user.size}") String user,
                      @NotBlank(message = "{member.role.required}")
                      @Size(max = 64, message = "{member.role.size}") String role) {
    }

    record Invitations(@NotNull(message = "{member.invite.usersRequired}")
                       @Size(min = 1, max = WorkspaceService.MAX_INVITES, message = "{member.invite.usersSize}")
                       List<@NotBlank(message = "{member.user.required}")
                           @Size(max = 255, message = "{member.user.size}") String> users,
                       @NotBlank(message = "{member.role.required}")
                       @Size(max = 64, message = "{member.role.size}") String role) {
    }

    record RoleChange(@NotBlank(message = "{member.role.required}")
                      @Size(max = 64, message = "{member.role.size}") String role) {
    }
}
