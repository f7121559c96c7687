package io.miniflow.workspace;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Opening workspaces and managing their members, each change written to the audit log. */
@Service
public class WorkspaceService {

    /** How many people one multi-invite adds at most. */
    public static final int MAX_INVITES = 50;

    private final WorkspaceRepository repository;
    private final WorkspaceAccess access;
    private final WorkspaceIdentitySync identitySync;
    private final IdentityService identityService;
    private final AuditLog auditLog;
    private final WebhookTargets webhookTargets;
    private final Clock clock;

    WorkspaceService(WorkspaceRepository repository, WorkspaceAccess access, WorkspaceIdentitySync identitySync,
                     IdentityService identityService, AuditLog auditLog, WebhookTargets webhookTargets, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.identitySync = identitySync;
        this.identityService = identityService;
        this.auditLog = auditLog;
        this.webhookTargets = webhookTargets;
        this.clock = clock;
    }

    /** Opens a workspace; its representative (an existing user, found by e-mail) becomes its first admin. */
    @Transactional
    public Workspace create(CurrentUser actor, NewWorkspace request) {
        if (!actor.has(Roles.CAMUNDA_ADMIN)) {
            throw MiniflowException.forbidden("workspace.createAdminOnly");
        }
        if (!WorkspaceName.isValid(request.name())) {
            throw MiniflowException.badRequest("workspace.name.invalid");
        }
        if (repository.existsIgnoringCase(request.name())) {
            throw MiniflowException.conflict("workspace.name.taken", request.name());
        }
        User representative = findUser(request.representativeEmail())
            .orElseThrow(() -> MiniflowException.badRequest("workspace.representative.unknown",
                request.representativeEmail()));
        Instant now = Instant.now(clock);
        long id = repository.insert(request, actor.username(), now);
        repository.insertMember(id, representative.getId(), Roles.WORKSPACE_ADMIN, now);
        identitySync.workspaceCreated(request.name());
        identitySync.syncUser(representative.getId());
        auditLog.record(actor.username(), "WORKSPACE_CREATED", "workspace", request.name(), request.name(),
            "representative=" + representative.getId());
        return repository.findByName(request.name()).orElseThrow();
    }

    public List<Workspace> visibleTo(CurrentUser user) {
        return user.seesAllWorkspaces() ? repository.findAll() : repository.findActiveFor(user.username());
    }

    public List<Member> members(CurrentUser actor, String workspace) {
        access.requireAdmin(actor, workspace);
        return repository.findMembers(workspace);
    }

    /** The URL that gets a JSON POST for the workspace's reminders, if its admins set one. */
    public Optional<String> webhookUrl(String workspace) {
        return repository.webhookUrl(workspace).filter(url -> !url.isBlank());
    }

    @Transactional
    public void setWebhookUrl(CurrentUser actor, String workspace, String url) {
        access.requireAdmin(actor, workspace);
        String cleaned = url == null || url.isBlank() ? null : url.trim();
        if (cleaned != null && !cleaned.matches("https?://[^\\s]{1,490}")) {
            throw MiniflowException.badRequest("workspace.webhookInvalid");
        }
        if (cleaned != null) {
            webhookTargets.requireAllowed(cleaned);
        }
        repository.setWebhookUrl(workspace, cleaned);
        auditLog.record(actor.username(), "WORKSPACE_WEBHOOK_SET", "workspace", workspace, workspace, cleaned);
    }

    public Optional<Member> membership(String workspace, String username) {
        return repository.findMember(workspace, username);
    }

    /** Adds an existing user (by user name or e-mail) to the workspace with a role. */
    @Transactional
    public Member invite(CurrentUser actor, String workspace, String userOrEmail, String role) {
        Workspace ws = access.requireAdmin(actor, workspace);
        requireWorkspaceRole(role);
        User user = findUser(userOrEmail)
            .orElseThrow(() -> MiniflowException.badRequest("member.userUnknown", userOrEmail));
        if (repository.findMember(workspace, user.getId()).isPresent()) {
            throw MiniflowException.conflict("member.exists", user.getId(), workspace);
        }
        repository.insertMember(ws.id(), user.getId(), role, Instant.now(clock));
        identitySync.syncUser(user.getId());
        auditLog.record(actor.username(), "MEMBER_INVITED", "member", user.getId(), workspace, "role=" + role);
        return repository.findMember(workspace, user.getId()).orElseThrow();
    }

    /**
     * Adds several existing users (by user name or e-mail) with one role, all or none: every name is checked first
     * (unknown users 400, members already 409, each naming all of them), then all are added in one transaction.
     */
    @Transactional
    public List<Member> inviteAll(CurrentUser actor, String workspace, List<String> usersOrEmails, String role) {
        Workspace ws = access.requireAdmin(actor, workspace);
        requireWorkspaceRole(role);
        if (usersOrEmails == null || usersOrEmails.isEmpty()) {
            throw MiniflowException.badRequest("member.invite.usersRequired");
        }
        if (usersOrEmails.size() > MAX_INVITES) {
            throw MiniflowException.badRequest("member.invite.tooMany", MAX_INVITES);
        }
        java.util.Map<String, User> found = new java.util.LinkedHashMap<>();
        List<String> unknown = new java.util.ArrayList<>();
        for (String given : usersOrEmails) {
            Optional<User> user = findUser(given);
            if (user.isEmpty()) {
                unknown.add(String.valueOf(given).trim());
            } else {
                found.putIfAbsent(user.get().getId(), user.get());
            }
        }
        if (!unknown.isEmpty()) {
            throw MiniflowException.badRequest("member.invite.unknownUsers", String.join(", ", unknown));
        }
        List<String> members = found.keySet().stream()
            .filter(id -> repository.findMember(workspace, id).isPresent()).toList();
        if (!members.isEmpty()) {
            throw MiniflowException.conflict("member.invite.existing", String.join(", ", members), workspace);
        }
        Instant now = Instant.now(clock);
        for (String id : found.keySet()) {
            repository.insertMember(ws.id(), id, role, now);
            identitySync.syncUser(id);
            auditLog.record(actor.username(), "MEMBER_INVITED", "member", id, workspace, "role=" + role);
        }
        return found.keySet().stream().map(id -> repository.findMember(workspace, id).orElseThrow()).toList();
    }

    @Transactional
    public Member changeRole(CurrentUser actor, String workspace, String username, String role) {
        Workspace ws = access.requireAdmin(actor, workspace);
        requireWorkspaceRole(role);
        Member member = requireMember(workspace, username);
        if (member.role().equals(role)) {
            return member;
        }
        if (Roles.WORKSPACE_ADMIN.equals(member.role()) && member.isActive()) {
            requireAnotherAdmin(workspace);
        }
        repository.updateRole(ws.id(), username, role);
        identitySync.syncUser(username);
        auditLog.record(actor.username(), "MEMBER_ROLE_CHANGED", "member", username, workspace,
            member.role() + " -> " + role);
        return requireMember(workspace, username);
    }

    @Transactional
    public Member block(CurrentUser actor, String workspace, String username) {
        Workspace ws = access.requireAdmin(actor, workspace);
        Member member = requireMember(workspace, username);
        if (username.equals(actor.username())) {
            throw MiniflowException.badRequest("member.blockSelf");
        }
        if (!member.isActive()) {
            return member;
        }
        if (Roles.WORKSPACE_ADMIN.equals(member.role())) {
            requireAnotherAdmin(workspace);
        }
        repository.updateStatus(ws.id(), username, MemberStatus.BLOCKED);
        identitySync.syncUser(username);
        auditLog.record(actor.username(), "MEMBER_BLOCKED", "member", username, workspace, null);
        return requireMember(workspace, username);
    }

    @Transactional
    public Member unblock(CurrentUser actor, String workspace, String username) {
        Workspace ws = access.requireAdmin(actor, workspace);
        Member member = requireMember(workspace, username);
        if (member.isActive()) {
            return member;
        }
        repository.updateStatus(ws.id(), username, MemberStatus.ACTIVE);
        identitySync.syncUser(username);
        auditLog.record(actor.username(), "MEMBER_UNBLOCKED", "member", username, workspace, null);
        return requireMember(workspace, username);
    }

    private Member requireMember(String workspace, String username) {
        return repository.findMember(workspace, username)
            .orElseThrow(() -> MiniflowException.notFound("member.notFound", username, workspace));
    }

    private void requireAnotherAdmin(String workspace) {
        if (repository.countActiveAdmins(workspace) <= 1) {
            throw MiniflowException.conflict("member.lastAdmin", workspace);
        }
    }

    private static void requireWorkspaceRole(String role) {
        if (!Roles.isWorkspaceRole(role)) {
            throw MiniflowException.badRequest("member.roleInvalid", role, String.join(", ", Roles.WORKSPACE_ROLES));
        }
    }

    private Optional<User> findUser(String userOrEmail) {
        if (userOrEmail == null || userOrEmail.isBlank()) {
            return Optional.empty();
        }
        String key = userOrEmail.trim();
        User byId = identityService.createUserQuery().userId(key).singleResult();
        if (byId != null) {
            return Optional.of(byId);
        }
        return identityService.createUserQuery().userEmail(key).list().stream().findFirst();
    }
}
