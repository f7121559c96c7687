package io.miniflow.app;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.ProtectedVariables;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * Removing an environment's online version (a removal application, seeds 000 and 004): the request files the
 * application through app-version-removal, which always calls review-approval; only once it is approved does the
 * previous published version go back online and the removed one become REMOVED. The environment's publish slot is
 * held meanwhile, so no publish runs beside it.
 */
@Service("versionRemovals")
public class VersionRemovals {

    static final String PROCESS_KEY = "app-version-removal";

    /** Variables of app-version-removal (Miniflow's only; some shared with app-publish's names). */
    static final String REQUESTER = "requester";
    static final String PREVIOUS_VERSION_ID = "previousVersionId";
    static final String PREVIOUS_VERSION = "previousVersion";

    /** A filed removal: its process, its application, and where to follow the environment. */
    public record RemovalRequested(String processInstanceId, Long approvalId, String statusUrl) {
    }

    private final AppRepository repository;
    private final PublishGuard guard;
    private final WorkspaceAccess access;
    private final RuntimeService runtimeService;
    private final AuditLog auditLog;
    private final Clock clock;

    VersionRemovals(AppRepository repository, PublishGuard guard, WorkspaceAccess access, RuntimeService runtimeService,
                    AuditLog auditLog, Clock clock) {
        this.repository = repository;
        this.guard = guard;
        this.access = access;
        this.runtimeService = runtimeService;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** Everything is checked first and done in one transaction: a refusal leaves nothing behind. */
    @Transactional
    public RemovalRequested request(CurrentUser user, String appCode, String envCode, String version) {
        Target target = check(user, appCode, envCode, version);
        AppEnvironment env = target.environment();
        AppVersion removed = target.version();
        if (!repository.lockForPublish(env.id(), removed.id())) {
            throw MiniflowException.conflict("removal.running", envCode, "?");
        }
        Instant now = Instant.now(clock);
        Map<String, Object> vars = new HashMap<>();
        vars.put(PublishVariables.WORKSPACE, target.app().workspace());
        vars.put(PublishVariables.APP_CODE, appCode);
        vars.put(PublishVariables.ENV_CODE, envCode);
        vars.put(PublishVariables.VERSION, removed.version());
        vars.put(PublishVariables.VERSION_ID, removed.id());
        vars.put(PublishVariables.ENVIRONMENT_ID, env.id());
        vars.put(PREVIOUS_VERSION_ID, target.previous().id());
        vars.put(PREVIOUS_VERSION, target.previous().version());
        vars.put(REQUESTER, user.username());
        vars.put(PublishVariables.APPROVAL_TITLE, "Remove " + appCode + " " + removed.version() + " from " + env.name()
            + " (back to " + target.previous().version() + ")");
        vars.put(PublishVariables.REQUIRED_APPROVALS, env.requiredApprovals() > 0 ? env.requiredApprovals() : null);
        String pid = ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceByKey(PROCESS_KEY,
            appCode + "/" + envCode + "/" + removed.version(), vars).getId());
        ProcessInstance review = runtimeService.createProcessInstanceQuery().superProcessInstanceId(pid).singleResult();
        Object approvalId = review == null ? null : runtimeService.getVariable(review.getId(),
            PublishVariables.APPROVAL_ID);
        repository.log(removed.id(), "INFO", "Removal of " + removed.version() + " from " + envCode + " requested by "
            + user.username() + " (back to " + target.previous().version() + "), application " + approvalId, now);
        auditLog.record(user.username(), "APP_VERSION_REMOVAL_REQUESTED", "app-version",
            appCode + "/" + envCode + "/" + removed.version(), target.app().workspace(), "approval " + approvalId);
        return new RemovalRequested(pid, approvalId instanceof Number n ? n.longValue() : null,
            "/api/apps/" + appCode + "/environments/" + envCode);
    }

    /** The checks of a removal, for the API and the console's confirmation page. */
    public Target check(CurrentUser user, String appCode, String envCode, String version) {
        if (appCode == null || !appCode.matches(Codes.CODE_REGEX)) {
            throw MiniflowException.badRequest("app.appCode.path", appCode);
        }
        if (envCode == null || !envCode.matches(Codes.CODE_REGEX)) {
            throw MiniflowException.badRequest("app.envCode.path", envCode);
        }
        if (!Codes.isSemver(version)) {
            throw MiniflowException.badRequest("app.version.format", version);
        }
        App app = repository.findApp(appCode).orElseThrow(() -> MiniflowException.notFound("app.notFound", appCode));
        access.requireMember(user, app.workspace());
        AppEnvironment env = repository.findEnvironment(app.id(), envCode)
            .orElseThrow(() -> MiniflowException.notFound("app.environment.notFound", envCode, appCode));
        guard.requirePublisher(app.workspace(), user.username());
        AppVersion removed = repository.findVersion(env.id(), version)
            .orElseThrow(() -> MiniflowException.notFound("app.version.notFound", version, envCode));
        if (!version.equals(env.onlineVersion()) || removed.status() != VersionStatus.PUBLISHED) {
            throw MiniflowException.conflict("removal.notOnline", version, envCode);
        }
        if (env.isPublishing()) {
            String running = repository.findVersionById(env.publishingVersionId()).map(AppVersion::version).orElse("?");
            throw MiniflowException.conflict("removal.running", envCode, running);
        }
        AppVersion previous = previousPublished(env, removed)
            .orElseThrow(() -> MiniflowException.conflict("removal.noPrevious", version, envCode));
        return new Target(app, env, removed, previous);
    }

    /** The version published last before this one (and not removed since). */
    Optional<AppVersion> previousPublished(AppEnvironment env, AppVersion removed) {
        return repository.versionsOf(env.id()).stream()
            .filter(v -> v.id() != removed.id() && v.status() == VersionStatus.PUBLISHED && v.publishedAt() != null)
            .filter(v -> removed.publishedAt() == null || !v.publishedAt().isAfter(removed.publishedAt()))
            .max(Comparator.comparing(AppVersion::publishedAt).thenComparing(AppVersion::id));
    }

    /** End of an app-version-removal instance ({@code ${versionRemovals.ended(execution)}}): frees the environment. */
    public void ended(DelegateExecution execution) {
        Object version = execution.getVariable(PublishVariables.VERSION_ID);
        Object env = execution.getVariable(PublishVariables.ENVIRONMENT_ID);
        if (version instanceof Number v && env instanceof Number e) {
            repository.unlockPublish(e.longValue(), v.longValue());
        }
    }

    /** What a removal is about: the app, its environment, the online version and the one that goes back online. */
    public record Target(App app, AppEnvironment environment, AppVersion version, AppVersion previous) {
    }
}
