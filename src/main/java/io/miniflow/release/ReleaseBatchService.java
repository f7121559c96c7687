package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.ProcessInstanceQuery;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.ProtectedVariables;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceAccess;
import io.miniflow.workspace.WorkspaceService;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Release batches: start one (checked before anything is called), follow it, pause, resume, cancel, retry the failed
 * mini programs, roll mini programs back. Mini-program admins and workspace admins do all of it; operators may
 * pause and roll back; every member of the workspace may look.
 */
@Service
public class ReleaseBatchService {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ReleaseBatchService.class);

    static final Set<String> RELEASERS = Set.of(Roles.MINIPROGRAM_ADMIN, Roles.WORKSPACE_ADMIN);
    static final int MAX_TARGETS = 20_000;
    static final String APP_ID_REGEX = "[A-Za-z0-9_-]{1,64}";
    static final String TAG_REGEX = "[A-Za-z0-9_-]{1,32}";

    private final ReleaseBatchRepository batches;
    private final AuthorizedMiniPrograms authorized;
    private final TemplateLibrary templates;
    private final MiniProgramSettings settings;
    private final WorkspaceAccess access;
    private final WorkspaceService workspaces;
    private final RuntimeService runtimeService;
    private final AuditLog auditLog;
    private final Clock clock;
    private final MiniProgramAssignments assignments;

    ReleaseBatchService(ReleaseBatchRepository batches, AuthorizedMiniPrograms authorized, TemplateLibrary templates,
                        MiniProgramSettings settings,
                        WorkspaceAccess access, WorkspaceService workspaces, RuntimeService runtimeService,
                        AuditLog auditLog, Clock clock, MiniProgramAssignments assignments) {
        this.batches = batches;
        this.authorized = authorized;
        this.templates = templates;
        this.settings = settings;
        this.access = access;
        this.workspaces = workspaces;
        this.runtimeService = runtimeService;
        this.auditLog = auditLog;
        this.clock = clock;
        this.assignments = assignments;
    }

    @Transactional
    public ReleaseBatch start(CurrentUser user, StartRequest request) {
        String workspace = workspaceFor(user, request.workspace());
        requireRole(user, workspace, RELEASERS);
        if (request.templateId() == null || request.templateId() <= 0) {
            throw MiniflowException.badRequest("release.templateId");
        }
        String userVersion = trim(request.userVersion());
        if (userVersion == null || !userVersion.matches("[0-9A-Za-z._-]{1,64}")) {
            throw MiniflowException.badRequest("release.userVersion");
        }
        String userDesc = trim(request.userDesc());
        if (userDesc == null || userDesc.length() > 200) {
            throw MiniflowException.badRequest("release.userDesc");
        }
        String grayPlan = grayPlan(request.grayPlan());
        int concurrency = request.concurrency() == null ? 20 : request.concurrency();
        if (concurrency < 1 || concurrency > 500) {
            throw MiniflowException.badRequest("release.concurrency");
        }
        List<String> targets = targets(request.appIds(), request.tag());
        assignments.requireAssigned(user, workspace, targets, "release.notAssigned");
        int threshold = request.failureThreshold() == null ? Math.max(1, targets.size() / 10) : request.failureThreshold();
        if (threshold < 0 || threshold > MAX_TARGETS) {
            throw MiniflowException.badRequest("release.failureThreshold");
        }
        List<String> badExt = targets.stream().filter(a -> settings.extJsonProblem(a) != null).limit(5).toList();
        if (!badExt.isEmpty()) {
            throw MiniflowException.badRequest("release.extJsonInvalid", String.join(", ", badExt),
                settings.extJsonProblem(badExt.get(0)));
        }
        batches.activeBatchOfTemplate(request.templateId()).ifPresent(b -> {
            throw MiniflowException.conflict("release.templateBusy", request.templateId(), b.id());
        });
        requireTemplate(request.templateId());
        return startBatch(user, workspace, request.templateId(), userVersion, userDesc, grayPlan,
            grayPlan != null && Boolean.TRUE.equals(request.grayApproval()), concurrency, threshold, targets, null);
    }

    private ReleaseBatch startBatch(CurrentUser user, String workspace, long templateId, String userVersion, String userDesc,
                                    String grayPlan, boolean grayApproval, int concurrency, int threshold,
                                    List<String> targets, Long retryOf) {
        Instant now = Instant.now(clock);
        long id = batches.insertBatch(workspace, templateId, userVersion, userDesc, grayPlan, grayApproval, concurrency,
            threshold, retryOf, user.username(), targets.size(), now);
        batches.insertItems(id, targets, now);
        Map<String, Object> vars = new HashMap<>();
        vars.put(ReleaseVariables.WORKSPACE.name(), workspace);
        vars.put(BatchVariables.BATCH_ID.name(), id);
        vars.put(ReleaseVariables.TEMPLATE_ID.name(), String.valueOf(templateId));
        vars.put(ReleaseVariables.USER_VERSION.name(), userVersion);
        vars.put(ReleaseVariables.USER_DESC.name(), userDesc);
        vars.put(ReleaseVariables.GRAY_PLAN.name(), grayPlan == null ? "" : grayPlan);
        vars.put(ReleaseVariables.GRAY_APPROVAL.name(), grayApproval);
        // Only Miniflow starts release processes (people may not start them through /engine-rest or Tasklist).
        String pid = ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceByKey(BatchVariables.PROCESS_KEY,
            "release-" + id, vars).getId());
        batches.setProcessInstance(id, pid);
        auditLog.record(user.username(), "RELEASE_BATCH_STARTED", "release-batch", String.valueOf(id), workspace,
            "template " + templateId + " " + userVersion + " to " + targets.size() + " mini programs");
        return batches.findBatch(id).orElseThrow();
    }

    public PageResult<ReleaseBatch> list(CurrentUser user, PageRequest page) {
        return batches.batches(access.visibleWorkspaces(user), page);
    }

    public BatchView view(CurrentUser user, long id, String stage, String text, PageRequest page) {
        ReleaseBatch batch = requireBatch(id);
        access.requireMember(user, batch.workspace());
        ItemStage filter = null;
        if (stage != null && !stage.isBlank()) {
            try {
                filter = ItemStage.valueOf(stage.trim().toUpperCase());
            } catch (IllegalArgumentException e) {
                throw MiniflowException.badRequest("release.stageUnknown", stage);
            }
        }
        PageResult<ReleaseItem> items = batches.items(id, filter, text, page);
        Map<String, List<String>> incidents = new HashMap<>();
        for (ReleaseItem item : items.items()) {
            if (item.processInstanceId() != null) {
                List<String> messages = runtimeService.createIncidentQuery().processInstanceId(item.processInstanceId())
                    .list().stream().map(Incident::getIncidentMessage).toList();
                if (!messages.isEmpty()) {
                    incidents.put(item.appId(), messages);
                }
            }
        }
        Map<ItemStage, Long> counts = batches.countsByStage(id);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long finished = counts.entrySet().stream().filter(e -> e.getKey().isFinal()).mapToLong(Map.Entry::getValue).sum();
        boolean releaser = isReleaser(user, batch.workspace());
        return new BatchView(batch, counts, total, finished, items, incidents, releaser,
            releaser || user.has(Roles.OPERATOR));
    }

    @Transactional
    public ReleaseBatch pause(CurrentUser user, long id) {
        ReleaseBatch batch = requireBatch(id);
        requirePauser(user, batch.workspace());
        change(batch, BatchStatus.RUNNING, BatchStatus.PAUSED, "Paused by " + user.username(), user);
        return requireBatch(id);
    }

    @Transactional
    public ReleaseBatch resume(CurrentUser user, long id) {
        ReleaseBatch batch = requireBatch(id);
        requireRole(user, batch.workspace(), RELEASERS);
        if (batch.status() != BatchStatus.PAUSED && batch.status() != BatchStatus.HALTED) {
            throw MiniflowException.conflict("release.notPaused", id);
        }
        change(batch, batch.status(), BatchStatus.RUNNING, null, user);
        return requireBatch(id);
    }

    /**
     * Cancels a batch: no further mini program starts, the batch's instance ends, and the releases still running are
     * deleted by an engine batch (Cockpit shows its progress), each marking its item CANCELLED as it goes.
     */
    public ReleaseBatch cancel(CurrentUser user, long id) {
        ReleaseBatch batch = requireBatch(id);
        requireRole(user, batch.workspace(), RELEASERS);
        if (!batch.status().isActive()) {
            throw MiniflowException.conflict("release.notActive", id);
        }
        String reason = "Cancelled by " + user.username();
        Instant now = Instant.now(clock);
        // First, so that the dispatcher starts nothing more; the releases it started before are in the items.
        if (!batches.setStatus(id, batch.status(), BatchStatus.CANCELLED, reason, now)) {
            throw MiniflowException.conflict("release.notActive", id);
        }
        deleteRunningInstance(batch.processInstanceId(), reason);
        batches.cancelOpenItems(id, now);
        ProcessInstanceQuery running = runtimeService.createProcessInstanceQuery()
            .processDefinitionKey(ReleaseVariables.PROCESS_KEY).variableValueEquals(BatchVariables.BATCH_ID.name(), id);
        long cancelled = running.count();
        if (cancelled > 0) {
            runtimeService.deleteProcessInstancesAsync(running, reason);
        }
        auditLog.record(user.username(), "RELEASE_BATCH_CANCELLED", "release-batch", String.valueOf(id),
            batch.workspace(), cancelled + " running releases cancelled");
        return requireBatch(id);
    }

    /** A new batch with the mini programs that failed (abandoned after rejection) in a finished batch. */
    @Transactional
    public ReleaseBatch retryFailed(CurrentUser user, long id) {
        ReleaseBatch batch = requireBatch(id);
        requireRole(user, batch.workspace(), RELEASERS);
        if (batch.status().isActive()) {
            throw MiniflowException.conflict("release.stillActive", id);
        }
        List<String> failed = batches.itemsInStage(id, ItemStage.FAILED, MAX_TARGETS).stream()
            .map(ReleaseItem::appId).toList();
        if (failed.isEmpty()) {
            throw MiniflowException.badRequest("release.nothingFailed", id);
        }
        // Releasing them again is a release: an assigned Mini Program Admin only of their own mini programs.
        assignments.requireAssigned(user, batch.workspace(), failed, "release.notAssigned");
        batches.activeBatchOfTemplate(batch.templateId()).ifPresent(b -> {
            throw MiniflowException.conflict("release.templateBusy", batch.templateId(), b.id());
        });
        requireTemplate(batch.templateId());
        return startBatch(user, batch.workspace(), batch.templateId(), batch.userVersion(), batch.userDesc(),
            batch.grayPlan(), batch.grayApproval(), batch.concurrency(), batch.failureThreshold(), failed, id);
    }

    /**
     * Lets every mini program of the batch that waits between gray steps go on to the next percentage (batches started
     * with {@code grayApproval}). Returns how many went on.
     */
    public int approveGrayStep(CurrentUser user, long id) {
        ReleaseBatch batch = requireBatch(id);
        requireRole(user, batch.workspace(), RELEASERS);
        if (!batch.grayApproval()) {
            throw MiniflowException.conflict("release.noGrayApproval", id);
        }
        int approved = 0;
        for (ReleaseItem item : batches.itemsInStage(id, ItemStage.GRAY, MAX_TARGETS)) {
            if (item.processInstanceId() != null) {
                approved += runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_GRAY_STEP_APPROVED)
                    .processInstanceId(item.processInstanceId()).correlateAllWithResult().size();
            }
        }
        auditLog.record(user.username(), "RELEASE_GRAY_STEP_APPROVED", "release-batch", String.valueOf(id),
            batch.workspace(), approved + " mini programs go on to their next gray step");
        return approved;
    }

    /**
     * Rolls mini programs of a batch back: one still in its release (gray steps) gets the rollback message; a released
     * one gets its own wechat-mp-rollback. Returns the appids a rollback was started for.
     */
    @Transactional
    public List<String> rollBack(CurrentUser user, long id, List<String> appIds) {
        ReleaseBatch batch = requireBatch(id);
        requirePauser(user, batch.workspace());
        List<ReleaseItem> candidates = new ArrayList<>();
        if (appIds == null || appIds.isEmpty()) {
            candidates.addAll(batches.itemsInStage(id, ItemStage.RELEASED, MAX_TARGETS));
            candidates.addAll(batches.itemsInStage(id, ItemStage.GRAY, MAX_TARGETS));
        } else {
            for (String appId : new LinkedHashSet<>(appIds)) {
                candidates.add(batches.item(id, appId)
                    .orElseThrow(() -> MiniflowException.badRequest("release.notInBatch", appId, id)));
            }
        }
        assignments.requireAssigned(user, batch.workspace(), candidates.stream().map(ReleaseItem::appId).toList(),
            "release.notAssigned");
        // Every mini program is checked before the first rollback starts: a refusal leaves all of them as they were.
        Map<ReleaseItem, Boolean> inGrayRelease = new java.util.LinkedHashMap<>();
        for (ReleaseItem item : candidates) {
            boolean running = item.processInstanceId() != null && runtimeService.createProcessInstanceQuery()
                .processInstanceId(item.processInstanceId()).count() > 0;
            if (!(running && item.stage() == ItemStage.GRAY) && item.stage() != ItemStage.RELEASED) {
                throw MiniflowException.conflict("release.cannotRollBack", item.appId(), item.stage());
            }
            inGrayRelease.put(item, running && item.stage() == ItemStage.GRAY);
        }
        List<String> started = new ArrayList<>();
        for (ReleaseItem item : candidates) {
            if (inGrayRelease.get(item)) {
                runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_ROLLBACK)
                    .processInstanceId(item.processInstanceId()).correlate();
            } else {
                Map<String, Object> vars = new HashMap<>();
                vars.put(ReleaseVariables.WORKSPACE.name(), batch.workspace());
                vars.put(ReleaseVariables.APP_ID.name(), item.appId());
                vars.put(ReleaseVariables.USER_VERSION.name(), batch.userVersion());
                vars.put(BatchVariables.BATCH_ID.name(), id);
                vars.put(BatchVariables.ITEM_ID.name(), item.id());
                ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceByKey(
                    BatchVariables.ROLLBACK_PROCESS_KEY, "rollback-" + id + "-" + item.appId(), vars).getId());
            }
            started.add(item.appId());
            auditLog.record(user.username(), "RELEASE_ROLLBACK_REQUESTED", "release-item", id + "/" + item.appId(),
                batch.workspace(), item.stage().name());
        }
        return started;
    }

    // --- helpers

    /**
     * Deletes the batch's own instance. A job of it may be running at that moment; the engine then refuses with an
     * optimistic-locking conflict, and deleting again shortly after succeeds.
     */
    private void deleteRunningInstance(String processInstanceId, String reason) {
        for (int attempt = 1; ; attempt++) {
            if (processInstanceId == null || !isRunning(processInstanceId)) {
                return;
            }
            try {
                runtimeService.deleteProcessInstance(processInstanceId, reason);
                return;
            } catch (org.camunda.bpm.engine.ProcessEngineException e) {
                // A job of the batch changed it meanwhile (optimistic locking), or the batch ended by itself between
                // the look-up and the delete (then there is nothing left to cancel).
                boolean lockingConflict = e instanceof org.camunda.bpm.engine.OptimisticLockingException;
                if (!isRunning(processInstanceId)) {
                    return;
                }
                if (!lockingConflict || attempt == 5) {
                    throw e;
                }
                pause(200L * attempt, e);
            }
        }
    }

    private boolean isRunning(String processInstanceId) {
        return runtimeService.createProcessInstanceQuery().processInstanceId(processInstanceId).count() > 0;
    }

    private static void pause(long millis, RuntimeException cause) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw cause;
        }
    }

    private void change(ReleaseBatch batch, BatchStatus from, BatchStatus to, String reason, CurrentUser user) {
        if (!batches.setStatus(batch.id(), from, to, reason, Instant.now(clock))) {
            throw MiniflowException.conflict("release.statusChanged", batch.id(), batch.status());
        }
        auditLog.record(user.username(), "RELEASE_BATCH_" + to.name(), "release-batch", String.valueOf(batch.id()),
            batch.workspace(), from + " -> " + to);
    }

    private List<String> targets(List<String> requested, String tag) {
        List<String> targets;
        if (tag != null && !tag.isBlank()) {
            if (requested != null && !requested.isEmpty()) {
                throw MiniflowException.badRequest("release.tagOrList");
            }
            if (!tag.trim().matches(TAG_REGEX)) {
                throw MiniflowException.badRequest("release.tag.pattern");
            }
            List<String> tagged = settings.taggedWith(tag.trim());
            List<String> unauthorized = authorized.unknown(tagged);
            targets = tagged.stream().filter(a -> !unauthorized.contains(a)).toList();
            if (targets.isEmpty()) {
                throw MiniflowException.badRequest("release.tagEmpty", tag.trim());
            }
        } else if (requested == null || requested.isEmpty()) {
            targets = authorized.all();
            if (targets.isEmpty()) {
                throw MiniflowException.badRequest("release.noAuthorizers");
            }
        } else {
            targets = requested.stream().map(a -> a == null ? "" : a.trim()).distinct().toList();
            List<String> malformed = targets.stream().filter(a -> !a.matches(APP_ID_REGEX)).limit(5).toList();
            if (!malformed.isEmpty()) {
                throw MiniflowException.badRequest("release.appIdMalformed", String.join(", ", malformed));
            }
            List<String> unknown = authorized.unknown(targets);
            if (!unknown.isEmpty()) {
                throw MiniflowException.badRequest("release.appIdUnknown",
                    unknown.stream().limit(5).collect(Collectors.joining(", ")), unknown.size());
            }
        }
        if (targets.size() > MAX_TARGETS) {
            throw MiniflowException.badRequest("release.tooMany", MAX_TARGETS);
        }
        return targets;
    }

    /** "5,20,50" from [5, 20, 50, 100]; rising percentages between 1 and 100, the final 100 being the full release. */
    static String grayPlan(List<Integer> plan) {
        if (plan == null || plan.isEmpty()) {
            return null;
        }
        List<Integer> steps = new ArrayList<>();
        int previous = 0;
        for (Integer p : plan) {
            if (p == null || p <= previous || p > 100) {
                throw MiniflowException.badRequest("release.grayPlan");
            }
            previous = p;
            if (p < 100) {
                steps.add(p);
            }
        }
        return steps.isEmpty() ? null : steps.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private String workspaceFor(CurrentUser user, String requested) {
        if (requested != null && !requested.isBlank()) {
            access.requireMember(user, requested.trim());
            return requested.trim();
        }
        List<String> mine = workspaces.visibleTo(user).stream().map(Workspace::name)
            .filter(ws -> isReleaser(user, ws)).toList();
        if (mine.size() != 1) {
            throw MiniflowException.badRequest("release.workspaceRequired");
        }
        return mine.get(0);
    }

    private boolean isReleaser(CurrentUser user, String workspace) {
        return access.hasRole(user.username(), workspace, RELEASERS);
    }

    private void requireRole(CurrentUser user, String workspace, Set<String> roles) {
        access.requireRole(user, workspace, roles, "release.notAllowed");
    }

    private void requirePauser(CurrentUser user, String workspace) {
        if (user.has(Roles.OPERATOR)) {
            return;
        }
        requireRole(user, workspace, RELEASERS);
    }

    /**
     * The template must be in the platform's library now; asked last, after every local check, as it is a call to
     * the platform. A platform that cannot be asked refuses the start too (503): starting blind is what failed before.
     */
    private void requireTemplate(long templateId) {
        boolean known;
        try {
            known = templates.contains(templateId);
        } catch (RuntimeException e) {
            log.warn("Template library not readable while starting a batch of template {}", templateId, e);
            throw new MiniflowException(org.springframework.http.HttpStatus.SERVICE_UNAVAILABLE,
                "release.templateLibraryUnavailable", templateId);
        }
        if (!known) {
            throw MiniflowException.badRequest("release.templateUnknown", templateId);
        }
    }

    private ReleaseBatch requireBatch(long id) {
        return batches.findBatch(id).orElseThrow(() -> MiniflowException.notFound("release.notFound", id));
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** {@code appIds} or {@code tag} name the targets; neither means every authorized mini program. */
    public record StartRequest(
        @Size(max = 64, message = "{error.reference.size}") String workspace,
        @NotNull(message = "{release.templateId.required}")
        @Positive(message = "{release.templateId.positive}") Long templateId,
        @Size(max = MAX_TARGETS, message = "{release.appIds.size}")
        List<@NotNull(message = "{error.list.nullItem}")
            @Pattern(regexp = "\\s*" + APP_ID_REGEX + "\\s*", message = "{release.appId.pattern}") String> appIds,
        @Pattern(regexp = "\\s*(" + TAG_REGEX + ")?\\s*", message = "{release.tag.pattern}") String tag,
        @NotBlank(message = "{release.userVersion}")
        @Pattern(regexp = "\\s*[0-9A-Za-z._-]{1,64}\\s*", message = "{release.userVersion}") String userVersion,
        @NotBlank(message = "{release.userDesc}") @Size(max = 200, message = "{release.userDesc}") String userDesc,
        @Size(max = 10, message = "{release.grayPlan.size}")
        List<@NotNull(message = "{error.list.nullItem}") @Min(value = 1, message = "{release.grayPlan.range}")
            @Max(value = 100, message = "{release.grayPlan.range}") Integer> grayPlan,
        Boolean grayApproval,
        @Min(value = 1, message = "{release.concurrency.range}")
        @Max(value = 500, message = "{release.concurrency.range}") Integer concurrency,
        @Min(value = 0, message = "{release.failureThreshold.range}")
        @Max(value = MAX_TARGETS, message = "{release.failureThreshold.range}") Integer failureThreshold) {
    }

    public record BatchView(ReleaseBatch batch, Map<ItemStage, Long> totals, long total, long finished,
                            PageResult<ReleaseItem> items, Map<String, List<String>> incidents, boolean canManage,
                            boolean canPauseAndRollBack) {

        public int percentDone() {
            return total == 0 ? 0 : (int) (finished * 100 / total);
        }
    }
}
