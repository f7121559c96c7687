package io.miniflow.release;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.ProtectedVariables;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * A person's actions on the audits of a batch's mini programs: withdraw a running audit (undocodeaudit), speed it up
 * (speedupaudit), and submit a withdrawn one again. Each is a message to the mini program's wechat-mp-release, so its
 * history shows it: withdrawing is the audit-result message with the status WITHDRAWN (the release stops waiting,
 * and so stops being polled, then withdraws it in a step of its own), speeding up starts a non-interrupting
 * sub-process, submitting again ends the wait for it. The platform is called inside the requester's transaction, so
 * its refusal (its limits, a wrong state) answers the requester and changes nothing.
 *
 * <p>A selection is checked whole first (each appid in the batch, each release where the action applies); then each
 * mini program is asked on its own, since the platform's limits are per mini program: the answer lists who was done
 * and who the platform refused, with its message.
 */
@Service
public class AuditActions {

    private static final Logger log = LoggerFactory.getLogger(AuditActions.class);

    /** Most mini programs one request may name. */
    static final int MAX_SELECTION = 500;
    /** Where a release waits for its audit result, and where a withdrawn one waits to be submitted again. */
    static final String AUDIT_WAIT = "Event_AuditResult";
    static final String SUBMIT_AGAIN_WAIT = "Event_SubmitAgainRequested";

    /** What a person may do with an audit. */
    public enum Action {
        UNDO("undo-audit", AUDIT_WAIT, "RELEASE_AUDIT_UNDONE"),
        SPEED_UP("speed-up-audit", AUDIT_WAIT, "RELEASE_AUDIT_SPED_UP"),
        SUBMIT_AGAIN("submit-again", SUBMIT_AGAIN_WAIT, "RELEASE_AUDIT_SUBMITTED_AGAIN");

        final String path;
        final String waitsAt;
        final String auditAction;

        Action(String path, String waitsAt, String auditAction) {
            this.path = path;
            this.waitsAt = waitsAt;
            this.auditAction = auditAction;
        }

        public String path() {
            return path;
        }

        public static Action ofPath(String path) {
            for (Action a : values()) {
                if (a.path.equals(path)) {
                    return a;
                }
            }
            throw MiniflowException.notFound("auditAction.unknown", path);
        }
    }

    /** One mini program the platform (or a changed state) refused, with the reason in the reader's language. */
    public record Refused(String appId, String code, String message) {
    }

    /** What a selection came to. */
    public record Outcome(List<String> done, List<Refused> refused) {
    }

    private final ReleaseBatchRepository batches;
    private final WorkspaceAccess access;
    private final RuntimeService runtimeService;
    private final AuditLog auditLog;
    private final MessageSource messages;
    private final TransactionTemplate transaction;
    private final PlatformQuotaView quotas;

    AuditActions(ReleaseBatchRepository batches, WorkspaceAccess access, RuntimeService runtimeService,
                 AuditLog auditLog, MessageSource messages, PlatformTransactionManager transactions,
                 PlatformQuotaView quotas) {
        this.quotas = quotas;
        this.batches = batches;
        this.access = access;
        this.runtimeService = runtimeService;
        this.auditLog = auditLog;
        this.messages = messages;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** One mini program: done, or the refusal thrown (404 not in the batch, 409 wrong state or the platform's no). */
    public ReleaseItem act(CurrentUser user, long batchId, String appId, Action action) {
        ReleaseBatch batch = requireBatch(user, batchId);
        ReleaseItem item = batches.item(batchId, appId)
            .orElseThrow(() -> MiniflowException.notFound("release.notInBatch", appId, batchId));
        String waiting = requireWaiting(item, action);
        perform(user, batch, item, waiting, action);
        return batches.item(batchId, appId).orElseThrow();
    }

    /** A selection: every appid checked before the first is asked; then each on its own. */
    public Outcome act(CurrentUser user, long batchId, List<String> appIds, Action action) {
        ReleaseBatch batch = requireBatch(user, batchId);
        if (appIds == null || appIds.isEmpty()) {
            throw MiniflowException.badRequest("auditAction.appIdsRequired");
        }
        if (appIds.size() > MAX_SELECTION) {
            throw MiniflowException.badRequest("auditAction.tooMany", MAX_SELECTION);
        }
        List<ReleaseItem> items = new ArrayList<>();
        for (String appId : new LinkedHashSet<>(appIds)) {
            if (appId == null || !appId.matches(ReleaseBatchService.APP_ID_REGEX)) {
                throw MiniflowException.badRequest("release.appIdMalformed", String.valueOf(appId));
            }
            items.add(batches.item(batchId, appId)
                .orElseThrow(() -> MiniflowException.badRequest("release.notInBatch", appId, batchId)));
        }
        // The request's shape first (400), then where each release stands (409).
        Map<ReleaseItem, String> targets = new LinkedHashMap<>();
        for (ReleaseItem item : items) {
            targets.put(item, requireWaiting(item, action));
        }
        List<String> done = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        for (Map.Entry<ReleaseItem, String> target : targets.entrySet()) {
            ReleaseItem item = target.getKey();
            try {
                perform(user, batch, item, target.getValue(), action);
                done.add(item.appId());
            } catch (MiniflowException e) {
                refused.add(new Refused(item.appId(), e.messageKey(), messages.getMessage(e.messageKey(), e.args(),
                    e.messageKey(), LocaleContextHolder.getLocale())));
            }
        }
        return new Outcome(done, refused);
    }

    /** The release's instance, when it waits where this action applies; else 409. */
    private String requireWaiting(ReleaseItem item, Action action) {
        String pid = item.processInstanceId();
        boolean waiting = pid != null && runtimeService.createExecutionQuery().processInstanceId(pid)
            .activityId(action.waitsAt).count() > 0;
        if (!waiting) {
            throw MiniflowException.conflict(action == Action.SUBMIT_AGAIN ? "auditAction.notWithdrawn"
                : "auditAction.notAuditing", item.appId(), item.stage());
        }
        return pid;
    }

    private void perform(CurrentUser user, ReleaseBatch batch, ReleaseItem item, String pid, Action action) {
        try {
            transaction.executeWithoutResult(tx -> {
                ProtectedVariables.asMiniflow(() -> switch (action) {
                    case UNDO -> runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_AUDIT_RESULT)
                        .processInstanceId(pid)
                        .setVariable(ReleaseVariables.AUDIT_STATUS.name(), AuditStatus.WITHDRAWN.name())
                        .correlateWithResult();
                    case SPEED_UP -> runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_SPEED_UP)
                        .processInstanceId(pid).correlateWithResult();
                    case SUBMIT_AGAIN -> runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_SUBMIT_AGAIN)
                        .processInstanceId(pid).correlateWithResult();
                });
                auditLog.record(user.username(), action.auditAction, "release-item", batch.id() + "/" + item.appId(),
                    batch.workspace(), item.stage().name());
            });
            if (action == Action.SPEED_UP) {
                quotas.forget();
            }
        } catch (RuntimeException e) {
            MiniflowException refusal = refusalIn(e);
            if (refusal != null) {
                throw refusal;
            }
            if (e instanceof org.camunda.bpm.engine.MismatchingMessageCorrelationException
                    || e instanceof org.camunda.bpm.engine.OptimisticLockingException) {
                // The audit result (or another request) got there first: the release no longer waits here.
                log.info("{} of {} in batch {} came too late: {}", action, item.appId(), batch.id(), e.getMessage());
                throw MiniflowException.conflict(action == Action.SUBMIT_AGAIN ? "auditAction.notWithdrawn"
                    : "auditAction.notAuditing", item.appId(), item.stage());
            }
            throw e;
        }
    }

    /** The platform's refusal, as thrown by the step (the engine may hand it over wrapped). */
    private static MiniflowException refusalIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MiniflowException refusal) {
                return refusal;
            }
        }
        return null;
    }

    private ReleaseBatch requireBatch(CurrentUser user, long batchId) {
        ReleaseBatch batch = batches.findBatch(batchId)
            .orElseThrow(() -> MiniflowException.notFound("release.notFound", batchId));
        access.requireRole(user, batch.workspace(), ReleaseBatchService.RELEASERS, "release.notAllowed");
        return batch;
    }
}
