package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import io.miniflow.shared.AuditLog;

/**
 * Ends a batch: COMPLETED with its counts once every mini program's release ended, or CANCELLED when someone
 * declined a batch bigger than the audit quota (task input {@code closeAs}).
 */
@Component("closeReleaseBatch")
class CloseReleaseBatch implements JavaDelegate {

    private final ReleaseBatchRepository batches;
    private final AuditLog auditLog;
    private final Clock clock;
    private final Events events;

    CloseReleaseBatch(ReleaseBatchRepository batches, AuditLog auditLog, Clock clock, Events events) {
        this.batches = batches;
        this.auditLog = auditLog;
        this.clock = clock;
        this.events = events;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long batchId = BatchVariables.BATCH_ID.from(execution);
        BatchStatus to = BatchStatus.valueOf(BatchVariables.CLOSE_AS.from(execution));
        ReleaseBatch batch = batches.findBatch(batchId).orElseThrow();
        Map<ItemStage, Long> counts = batches.countsByStage(batchId);
        Instant now = Instant.now(clock);
        String summary = counts.get(ItemStage.RELEASED) + " released, " + counts.get(ItemStage.FAILED) + " failed, "
            + counts.get(ItemStage.ROLLED_BACK) + " rolled back, " + counts.get(ItemStage.CANCELLED) + " cancelled";
        if (to == BatchStatus.CANCELLED) {
            batches.cancelOpenItems(batchId, now);
            summary = "Declined: the batch is bigger than the audit quota left";
        }
        if (batches.setStatus(batchId, batch.status(), to, summary, now)) {
            auditLog.record("system", "RELEASE_BATCH_" + to.name(), "release-batch", String.valueOf(batchId),
                batch.workspace(), summary);
            events.publish(batch.workspace(), EventType.RELEASE_FINISHED, "v" + batch.userVersion() + " (template "
                + batch.templateId() + ")", Events.data("batchId", batchId, "templateId", batch.templateId(),
                "userVersion", batch.userVersion(), "status", to.name(), "summary", summary),
                "/wechat/releases/" + batchId);
        }
    }
}
