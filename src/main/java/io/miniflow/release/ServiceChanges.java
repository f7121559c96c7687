package io.miniflow.release;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.ProtectedVariables;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceAccess;
import io.miniflow.workspace.WorkspaceService;

/**
 * Suspending a mini program's service (a removal application, seed 004) and restoring it: a request files an
 * application through wechat-mp-service, which calls review-approval; only once it is approved does the platform
 * change the service (never on the applicant's word alone: the step checks the recorded application). One change per
 * mini program waits at a time. Suspension is a REMOVAL application; restoring one is a PUBLISH application.
 */
@Service("serviceChanges")
public class ServiceChanges {

    public static final String PROCESS_KEY = "wechat-mp-service";

    /** Variables of wechat-mp-service (all Miniflow's: it is started by Miniflow only). */
    static final String WORKSPACE = "workspace";
    static final String APP_ID = "appId";
    static final String ACTION = "serviceAction";
    static final String REQUESTER = "requester";
    static final String APPROVAL_CATEGORY = "approvalCategory";
    static final String APPROVAL_TITLE = "approvalTitle";
    static final String APPROVAL_OUTCOME = "approvalOutcome";
    static final String APPROVAL_REASON = "approvalReason";
    static final String APPROVAL_ID = "approvalId";
    static final String REFUSAL = "serviceRefusal";

    /** What a request asks for, and the application it files. */
    public enum Kind {
        SUSPEND("REMOVAL", MiniProgramServiceStore.SUSPENDED, "Suspend the service of "),
        RESTORE("PUBLISH", MiniProgramServiceStore.OPEN, "Restore the service of ");

        final String approvalCategory;
        final String resultingStatus;
        final String title;

        Kind(String approvalCategory, String resultingStatus, String title) {
            this.approvalCategory = approvalCategory;
            this.resultingStatus = resultingStatus;
            this.title = title;
        }
    }

    /** A mini program's service: OPEN or SUSPENDED, the change waiting for approval, the last refusal. */
    public record ServiceState(String appId, String workspace, String status, String pendingAction,
                               String pendingProcessInstanceId, Instant changedAt, String changedBy, Long approvalId,
                               String lastRefusal) {

        public boolean suspended() {
            return MiniProgramServiceStore.SUSPENDED.equals(status);
        }
    }

    /** A filed request: its process, its application, and where to follow it. */
    public record Requested(String processInstanceId, Long approvalId, String statusUrl) {
    }

    private final MiniProgramServiceStore store;
    private final AuthorizedMiniPrograms authorized;
    private final WorkspaceAccess access;
    private final WorkspaceService workspaces;
    private final RuntimeService runtimeService;
    private final AuditLog auditLog;
    private final MiniProgramAssignments assignments;

    ServiceChanges(MiniProgramServiceStore store, AuthorizedMiniPrograms authorized, WorkspaceAccess access,
                   WorkspaceService workspaces, RuntimeService runtimeService, AuditLog auditLog,
                   MiniProgramAssignments assignments) {
        this.store = store;
        this.authorized = authorized;
        this.access = access;
        this.workspaces = workspaces;
        this.runtimeService = runtimeService;
        this.auditLog = auditLog;
        this.assignments = assignments;
    }

    /**
     * Files the application and starts wechat-mp-service; everything is checked first and done in one transaction, so
     * a refusal leaves nothing behind.
     */
    @Transactional
    public Requested request(CurrentUser user, String appId, Kind kind, String requestedWorkspace) {
        if (appId == null || !appId.matches(ReleaseBatchService.APP_ID_REGEX)) {
            throw MiniflowException.badRequest("release.appIdMalformed", String.valueOf(appId));
        }
        String workspace = workspaceFor(user, requestedWorkspace);
        access.requireRole(user, workspace, ReleaseBatchService.RELEASERS, "service.notAllowed");
        assignments.requireAssigned(user, workspace, List.of(appId), "service.notAssigned");
        if (!authorized.unknown(List.of(appId)).isEmpty()) {
            throw MiniflowException.notFound("service.notAuthorized", appId);
        }
        Optional<ServiceState> state = store.find(appId);
        if (state.map(ServiceState::pendingAction).isPresent()) {
            throw MiniflowException.conflict("service.pending", appId, state.get().pendingAction());
        }
        boolean suspended = state.map(ServiceState::suspended).orElse(false);
        if (kind == Kind.SUSPEND && suspended) {
            throw MiniflowException.conflict("service.alreadySuspended", appId);
        }
        if (kind == Kind.RESTORE && !suspended) {
            throw MiniflowException.conflict("service.notSuspended", appId);
        }
        if (kind == Kind.RESTORE && !state.get().workspace().equals(workspace)) {
            throw MiniflowException.forbidden("service.otherWorkspace", appId, state.get().workspace());
        }
        if (!store.reserve(appId, workspace, kind.name())) {
            throw MiniflowException.conflict("service.pending", appId, "?");
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put(WORKSPACE, workspace);
        vars.put(APP_ID, appId);
        vars.put(ACTION, kind.name());
        vars.put(REQUESTER, user.username());
        vars.put(APPROVAL_CATEGORY, kind.approvalCategory);
        vars.put(APPROVAL_TITLE, kind.title + appId);
        String pid = ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceByKey(PROCESS_KEY,
            "service-" + appId, vars).getId());
        store.pendingProcess(appId, pid);
        ProcessInstance review = runtimeService.createProcessInstanceQuery().superProcessInstanceId(pid).singleResult();
        Object approvalId = review == null ? null : runtimeService.getVariable(review.getId(), APPROVAL_ID);
        auditLog.record(user.username(), "MINI_PROGRAM_" + kind.name() + "_REQUESTED", "mini-program", appId, workspace,
            "approval " + approvalId);
        return new Requested(pid, approvalId instanceof Number n ? n.longValue() : null,
            "/api/wechat/mini-programs/" + appId + "/service");
    }

    /** The service as Miniflow set it (OPEN when it never changed it); any member of a workspace may look. */
    public ServiceState state(CurrentUser user, String appId) {
        if (appId == null || !appId.matches(ReleaseBatchService.APP_ID_REGEX)) {
            throw MiniflowException.badRequest("release.appIdMalformed", String.valueOf(appId));
        }
        access.requireSomeWorkspace(user);
        if (!authorized.unknown(List.of(appId)).isEmpty() && store.find(appId).isEmpty()) {
            throw MiniflowException.notFound("service.notAuthorized", appId);
        }
        return store.find(appId).orElse(new ServiceState(appId, null, MiniProgramServiceStore.OPEN, null, null, null,
            null, null, null));
    }

    /** For the console's pages: whether Miniflow suspended this mini program's service. */
    public boolean suspended(String appId) {
        return appId != null && store.find(appId).map(ServiceState::suspended).orElse(false);
    }

    /** For a page listing many mini programs: those of {@code appIds} whose service Miniflow suspended. */
    public Set<String> suspendedAmong(Collection<String> appIds) {
        return store.suspendedAmong(appIds);
    }

    /** End of a wechat-mp-service instance ({@code ${serviceChanges.ended(execution)}}): its change waits no more. */
    public void ended(DelegateExecution execution) {
        store.release(execution.getProcessInstanceId());
    }

    private String workspaceFor(CurrentUser user, String requested) {
        if (requested != null && !requested.isBlank()) {
            access.requireMember(user, requested.trim());
            return requested.trim();
        }
        List<String> mine = workspaces.visibleTo(user).stream().map(Workspace::name)
            .filter(ws -> access.hasRole(user.username(), ws, ReleaseBatchService.RELEASERS)).toList();
        if (mine.size() != 1) {
            throw MiniflowException.badRequest("release.workspaceRequired");
        }
        return mine.get(0);
    }
}
