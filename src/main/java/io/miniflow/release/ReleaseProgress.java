package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;

/**
 * Keeps a batch item's stage in step with its wechat-mp-release (or wechat-mp-rollback) instance: registered as an
 * execution listener on the activities that mark a stage, and on the process start and end. Instances started
 * outside a batch carry no item id and are left alone. Applies the batch's stop rule and quota pause.
 */
@Component("releaseProgress")
public class ReleaseProgress implements ExecutionListener {

    /** The activity whose start means the mini program reached a stage. */
    private static final Map<String, ItemStage> STAGE_AT = Map.of(
        "Task_ConfigureDomains", ItemStage.COMMITTED,
        "Task_SubmitAudit", ItemStage.AUDITING,
        "Task_DecideAfterRejection", ItemStage.REJECTED,
        "Task_ResumeAfterQuota", ItemStage.QUOTA_WAIT,
        "Task_GrayReleaseStep", ItemStage.GRAY,
        "Task_ReleaseCode", ItemStage.APPROVED,
        "EndEvent_Released", ItemStage.RELEASED,
        "EndEvent_Abandoned", ItemStage.FAILED,
        "Task_RollBackRelease", ItemStage.ROLLING_BACK,
        "EndEvent_RolledBack", ItemStage.ROLLED_BACK);

    /** The note an item carries while its withdrawn audit waits to be submitted again. */
    static final String WITHDRAWN_NOTE = "Audit withdrawn: submit again when ready";

    private final ReleaseBatchRepository batches;
    private final Clock clock;
    /** Null in process tests that build this by hand: no event is announced there. */
    private final Events events;

    @Autowired
    ReleaseProgress(ReleaseBatchRepository batches, Clock clock, Events events) {
        this.batches = batches;
        this.clock = clock;
        this.events = events;
    }

    ReleaseProgress(ReleaseBatchRepository batches, Clock clock) {
        this(batches, clock, null);
    }

    /**
     * The batch passed its audit-quota check and waits for its releases
     * ({@code ${releaseProgress.batchReleasing(execution)}} in wechat-template-release): the dispatcher may start them.
     */
    public void batchReleasing(DelegateExecution execution) {
        batches.beginReleasing(BatchVariables.BATCH_ID.from(execution), Instant.now(clock));
    }

    /** Activity starts (delegateExpression {@code ${releaseProgress}} on the activities of {@link #STAGE_AT}). */
    @Override
    public void notify(DelegateExecution execution) {
        ItemStage stage = STAGE_AT.get(execution.getCurrentActivityId());
        if (stage != null) {
            record(execution, stage);
        }
    }

    /** Process start: {@code ${releaseProgress.processStarted(execution)}}. */
    public void processStarted(DelegateExecution execution) {
        record(execution, BatchVariables.ROLLBACK_PROCESS_KEY.equals(processKey(execution))
            ? ItemStage.ROLLING_BACK : ItemStage.STARTED);
    }

    /**
     * The mini program waits on WeChat: for its audit result, or for the platform to finish scanning the code before it
     * may submit (a MUST_WAIT refusal) ({@code ${releaseProgress.waitingForPlatform(execution)}} on those waits). It gives its
     * start slot to the next one: the slots spread the work of committing and submitting, and the platform's audit
     * quota, not the batch's concurrency, bounds how many wait there.
     */
    public void waitingForPlatform(DelegateExecution execution) {
        freeSlot(execution);
    }

    /**
     * The audit was withdrawn on request and the release waits for someone to submit it again
     * ({@code ${releaseProgress.auditWithdrawn(execution)}} on that wait): the item is back at COMMITTED, saying so.
     */
    public void auditWithdrawn(DelegateExecution execution) {
        Optional<Long> item = BatchVariables.ITEM_ID.optional(execution);
        if (item.isPresent() && BatchVariables.BATCH_ID.optional(execution).isPresent()) {
            batches.setStage(item.get(), ItemStage.COMMITTED, WITHDRAWN_NOTE, execution.getProcessInstanceId(),
                Instant.now(clock));
        }
    }

    /**
     * Process end: {@code ${releaseProgress.processEnded(execution)}}. A batch's release counts itself off its batch
     * (and gives back its slot if it still holds one), in the transaction that ends it; a cancelled one cancels its item.
     */
    public void processEnded(DelegateExecution execution) {
        boolean rollback = BatchVariables.ROLLBACK_PROCESS_KEY.equals(processKey(execution));
        if (execution.isCanceled()) {
            record(execution, ItemStage.CANCELLED);
        } else if (rollback) {
            record(execution, ItemStage.ROLLED_BACK);
        }
        Optional<Long> itemId = BatchVariables.ITEM_ID.optional(execution);
        Optional<Long> batchId = BatchVariables.BATCH_ID.optional(execution);
        if (!rollback && itemId.isPresent() && batchId.isPresent()) {
            batches.releaseEnded(batchId.get(), itemId.get());
        }
    }

    /** Gives the item's start slot back to its batch; freeing one the item no longer holds changes nothing. */
    private void freeSlot(DelegateExecution execution) {
        Optional<Long> itemId = BatchVariables.ITEM_ID.optional(execution);
        Optional<Long> batchId = BatchVariables.BATCH_ID.optional(execution);
        if (itemId.isPresent() && batchId.isPresent()) {
            batches.freeSlot(batchId.get(), itemId.get());
        }
    }

    private void record(DelegateExecution execution, ItemStage stage) {
        Optional<Long> item = BatchVariables.ITEM_ID.optional(execution);
        Optional<Long> batch = BatchVariables.BATCH_ID.optional(execution);
        if (item.isEmpty() || batch.isEmpty()) {
            return;
        }
        long itemId = item.get();
        long batchId = batch.get();
        Instant now = Instant.now(clock);
        // The platform's refusal, in its words, says which quota and where to look it up.
        String quotaRefusal = stage == ItemStage.QUOTA_WAIT
            ? ReleaseVariables.WAIT_REASON.optional(execution).orElse("no reason given") : null;
        String error = switch (stage) {
            case REJECTED -> "Audit rejected: " + ReleaseVariables.AUDIT_REASON.optional(execution).orElse(null);
            case FAILED -> "Abandoned after the audit rejection";
            case QUOTA_WAIT -> "Audit quota used up (" + quotaRefusal + ")";
            default -> null;
        };
        // A rejected mini program that is then abandoned is one failure, not two: the stop rule counts it once.
        boolean newFailure = ItemStage.FAILURES.contains(stage) && batches.itemById(itemId)
            .map(i -> !ItemStage.FAILURES.contains(i.stage())).orElse(true);
        batches.setStage(itemId, stage, error, execution.getProcessInstanceId(), now);
        if (newFailure) {
            applyStopRule(batchId, now);
        }
        if (stage == ItemStage.QUOTA_WAIT && batches.setStatus(batchId, BatchStatus.RUNNING, BatchStatus.PAUSED,
                "The platform's audit quota is used up (" + quotaRefusal + "): no new mini programs start until"
                    + " someone resumes the batch", now)) {
            announce(batchId, EventType.RELEASE_PAUSED_BY_QUOTA, quotaRefusal);
        }
    }

    private void announce(long batchId, EventType type, String reason) {
        if (events != null) {
            batches.findBatch(batchId).ifPresent(b -> events.publish(b.workspace(), type, "v" + b.userVersion()
                + " (template " + b.templateId() + ")", Events.data("batchId", batchId, "templateId", b.templateId(),
                "userVersion", b.userVersion(), "status", b.status().name(), "reason", reason),
                "/wechat/releases/" + batchId));
        }
    }

    private static String processKey(DelegateExecution execution) {
        String definitionId = execution.getProcessDefinitionId();
        return definitionId == null ? "" : definitionId.substring(0, definitionId.indexOf(':'));
    }

    private void applyStopRule(long batchId, Instant now) {
        batches.findBatch(batchId).ifPresent(b -> {
            long failures = batches.failures(batchId);
            if (b.status() == BatchStatus.RUNNING && failures > b.failureThreshold()
                    && batches.setStatus(batchId, BatchStatus.RUNNING, BatchStatus.HALTED,
                    failures + " mini programs failed or were rejected, more than the threshold of "
                        + b.failureThreshold() + ": no new mini programs start until someone resumes the batch", now)) {
                announce(batchId, EventType.RELEASE_HALTED, failures + " failures > " + b.failureThreshold());
            }
        });
    }
}
