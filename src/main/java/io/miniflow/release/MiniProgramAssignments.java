package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.Member;
import io.miniflow.workspace.MemberMiniPrograms;
import io.miniflow.workspace.MemberMiniPrograms.Assignment;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mini Program Admins assigned to the mini programs they manage ("Assigned to Mini Program", seed 004). Workspace
 * admins assign them. The rule (docs/wechat-releases.md): workspace admins act on every mini program; a Mini Program
 * Admin who is assigned to some acts on those only (releases that include them, removal and suspension); one who is
 * unassigned (the seed's state of a new member) acts on every mini program of the workspace, as before assignments.
 */
@Service
public class MiniProgramAssignments {

    static final int MAX_APP_IDS = 1000;
    private static final int NAMED_IN_REFUSAL = 5;

    private final MemberMiniPrograms store;
    private final WorkspaceAccess access;
    private final AuthorizedMiniPrograms authorized;
    private final AuditLog auditLog;
    private final Clock clock;

    MiniProgramAssignments(MemberMiniPrograms store, WorkspaceAccess access, AuthorizedMiniPrograms authorized, AuditLog auditLog, Clock clock) {
        this.store = store;
        this.access = access;
        this.authorized = authorized;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    public record AssignmentsView(String workspace, Member member, boolean miniProgramAdmin,
                                  PageResult<Assignment> assignments, boolean unassigned) {
    }

    /** A member's assignments, a page at a time, for the workspace's admins. */
    public AssignmentsView view(CurrentUser user, String workspace, String username, String text, PageRequest page) {
        Workspace ws = access.requireAdmin(user, workspace);
        Member member = requireMember(ws, username);
        return new AssignmentsView(ws.name(), member,
            access.holdsRole(ws.name(), member.username(), Roles.MINIPROGRAM_ADMIN), store.page(ws.id(), member.username(), text, page),
            store.appIds(ws.id(), member.username()).isEmpty());
    }

    /** Replaces the member's assignments with these appids; an empty list leaves the member unassigned. */
    @Transactional
    public List<String> replace(CurrentUser user, String workspace, String username, List<String> appIds) {
        Workspace ws = access.requireAdmin(user, workspace);
        Member member = requireMiniProgramAdmin(ws, username);
        Set<String> wanted = checked(appIds, true);
        store.deleteAll(ws.id(), member.username());
        store.insert(ws.id(), member.username(), wanted, user.username(), Instant.now(clock));
        auditLog.record(user.username(), "MEMBER_MINI_PROGRAMS_ASSIGNED", "member", member.username(), ws.name(),
            wanted.isEmpty() ? "unassigned" : wanted.size() + ": " + summary(wanted));
        return store.appIds(ws.id(), member.username());
    }

    /** Adds these appids to the member's assignments (those assigned already stay as they are). */
    @Transactional
    public List<String> add(CurrentUser user, String workspace, String username, List<String> appIds) {
        Workspace ws = access.requireAdmin(user, workspace);
        Member member = requireMiniProgramAdmin(ws, username);
        Set<String> wanted = checked(appIds, false);
        wanted.removeAll(store.appIds(ws.id(), member.username()));
        store.insert(ws.id(), member.username(), wanted, user.username(), Instant.now(clock));
        if (!wanted.isEmpty()) {
            auditLog.record(user.username(), "MEMBER_MINI_PROGRAMS_ASSIGNED", "member", member.username(), ws.name(),
                "+" + wanted.size() + ": " + summary(wanted));
        }
        return store.appIds(ws.id(), member.username());
    }

    @Transactional
    public void remove(CurrentUser user, String workspace, String username, String appId) {
        Workspace ws = access.requireAdmin(user, workspace);
        Member member = requireMember(ws, username);
        if (appId == null || !store.delete(ws.id(), member.username(), appId)) {
            throw MiniflowException.notFound("assignment.notFound", appId, member.username());
        }
        auditLog.record(user.username(), "MEMBER_MINI_PROGRAM_UNASSIGNED", "member", member.username(), ws.name(),
            appId);
    }

    /**
     * 403 with {@code refusalKey} (arguments: workspace, the first appids not assigned, how many) when the user is a
     * Mini Program Admin assigned to some mini programs of the workspace but not to all of these.
     */
    public void requireAssigned(CurrentUser user, String workspace, Collection<String> appIds, String refusalKey) {
        if (user.has(Roles.CAMUNDA_ADMIN) || access.isActiveAdmin(user.username(), workspace)) {
            return;
        }
        Workspace ws = access.requireMember(user, workspace);
        Set<String> assigned = Set.copyOf(store.appIds(ws.id(), user.username()));
        if (assigned.isEmpty()) {
            return;
        }
        List<String> missing = appIds.stream().filter(a -> !assigned.contains(a)).toList();
        if (!missing.isEmpty()) {
            throw MiniflowException.forbidden(refusalKey, workspace, summary(missing), missing.size());
        }
    }

    private Member requireMember(Workspace ws, String username) {
        return access.requireMemberNamed(ws.name(), username);
    }

    private Member requireMiniProgramAdmin(Workspace ws, String username) {
        Member member = requireMember(ws, username);
        if (!access.holdsRole(ws.name(), member.username(), Roles.MINIPROGRAM_ADMIN)) {
            throw MiniflowException.conflict("assignment.notMiniProgramAdmin", member.username());
        }
        return member;
    }

    /** The appids trimmed and without repeats, every one well-formed and authorized; checked whole first. */
    private Set<String> checked(List<String> appIds, boolean emptyAllowed) {
        if (appIds == null || (!emptyAllowed && appIds.isEmpty())) {
            throw MiniflowException.badRequest("assignment.appIds.required");
        }
        if (appIds.size() > MAX_APP_IDS) {
            throw MiniflowException.badRequest("assignment.appIds.size", MAX_APP_IDS);
        }
        Set<String> cleaned = new LinkedHashSet<>();
        for (String appId : appIds) {
            String a = appId == null ? "" : appId.trim();
            if (!a.matches(ReleaseBatchService.APP_ID_REGEX)) {
                throw MiniflowException.badRequest("release.appIdMalformed", a);
            }
            cleaned.add(a);
        }
        List<String> unknown = cleaned.isEmpty() ? List.of() : authorized.unknown(cleaned);
        if (!unknown.isEmpty()) {
            throw MiniflowException.badRequest("assignment.appIds.unknown", summary(unknown), unknown.size());
        }
        return cleaned;
    }

    private static String summary(Collection<String> appIds) {
        List<String> first = new ArrayList<>(appIds).subList(0, Math.min(NAMED_IN_REFUSAL, appIds.size()));
        return String.join(", ", first) + (appIds.size() > NAMED_IN_REFUSAL ? ", …" : "");
    }
}
