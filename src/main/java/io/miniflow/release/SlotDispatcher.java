package io.miniflow.release;

import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes mini programs that wait for a start slot, as many per running batch as it has free slots, longest waiting
 * first (docs/decisions/006).
 */
@Component
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
            for (ReleaseBatchRepository.Waiting waiting : batches.waiting(batch.id(), free)) {
                // Taken for this item, or already held by it: a node that died between taking and waking, or
                // another node waking the same item, costs no second slot.
                if (!batches.takeSlot(batch.id(), waiting.itemId())) {
                    break;
                }
                try {
                    runtimeService.messageEventReceived(BatchVariables.SLOT_MESSAGE, waiting.executionId());
                    batches.noLongerWaiting(waiting);
                } catch (OptimisticLockingException e) {
                    log.debug("Execution {} of batch {} changed meanwhile; woken next time", waiting.executionId(),
                        batch.id());
                } catch (RuntimeException e) {
                    // Another node woke it, or the batch was cancelled: nothing waits there any more.
                    batches.noLongerWaiting(waiting);
                    log.debug("Could not wake execution {} of batch {}: {}", waiting.executionId(), batch.id(),
                        e.getMessage());
                }
            }
        }
    }
}
