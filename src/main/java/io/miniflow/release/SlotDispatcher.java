package io.miniflow.release;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.EventSubscription;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes mini programs that wait for a start slot: for every running batch, as many as it has free slots. The slot is
 * taken for the waiting mini program in the database before the wake-up, so several nodes never exceed the limit, and
 * two nodes waking the same one take a single slot between them.
 */
@Component
@Profile("!sandbox-only")
class SlotDispatcher {

    private static final Logger log = LoggerFactory.getLogger(SlotDispatcher.class);

    private final ReleaseBatchRepository batches;
    private final RuntimeService runtimeService;

    SlotDispatcher(ReleaseBatchRepository batches, RuntimeService runtimeService) {
        this.batches = batches;
        this.runtimeService = runtimeService;
    }

    @Scheduled(fixedDelayString = "${miniflow.release.dispatch-interval:PT1S}")
    void dispatch() {
        for (ReleaseBatch batch : batches.activeBatches()) {
            if (batch.status() != BatchStatus.RUNNING || batch.processInstanceId() == null) {
                continue;
            }
            int free = batch.concurrency() - batch.inFlight();
            if (free <= 0) {
                continue;
            }
            // Whoever waits: the "wait for a free slot" receive tasks in the batch's chunks.
            chunks:
            for (ProcessInstance chunk : runtimeService.createProcessInstanceQuery()
                    .superProcessInstanceId(batch.processInstanceId()).list()) {
                for (EventSubscription waiting : runtimeService.createEventSubscriptionQuery()
                        .processInstanceId(chunk.getId()).eventType("message")
                        .eventName(BatchVariables.SLOT_MESSAGE).listPage(0, free)) {
                    if (!(runtimeService.getVariable(waiting.getExecutionId(), BatchVariables.ITEM_ID)
                            instanceof Number item)) {
                        continue;
                    }
                    if (!batches.takeSlot(batch.id(), item.longValue())) {
                        break chunks;
                    }
                    free--;
                    try {
                        runtimeService.messageEventReceived(BatchVariables.SLOT_MESSAGE, waiting.getExecutionId());
                    } catch (RuntimeException e) {
                        // Another node woke it first (a slot belongs to its item: both took the same one), or the
                        // batch was cancelled: nothing to give back.
                        log.debug("Could not wake execution {} of batch {}: {}", waiting.getExecutionId(), batch.id(),
                            e.getMessage());
                    }
                }
                if (free <= 0) {
                    break;
                }
            }
        }
    }
}
