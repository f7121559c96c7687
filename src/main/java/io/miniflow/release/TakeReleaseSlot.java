package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Before a mini program of a batch starts: takes one of the batch's start slots (its concurrency limit), or parks
 * the mini program to wait for one (the SlotDispatcher wakes it). Paused and halted batches grant no slot.
 */
@Component("takeReleaseSlot")
public class TakeReleaseSlot implements JavaDelegate {

    private final ReleaseBatchRepository batches;
    private final Clock clock;

    TakeReleaseSlot(ReleaseBatchRepository batches, Clock clock) {
        this.batches = batches;
        this.clock = clock;
    }

    @Override
    public void execute(DelegateExecution execution) {
        long batchId = BatchVariables.BATCH_ID.from(execution);
        ReleaseItem item = batches.item(batchId, ReleaseVariables.APP_ID.from(execution)).orElseThrow();
        BatchVariables.ITEM_ID.setLocal(execution, item.id());
        BatchVariables.SLOT_GRANTED.setLocal(execution, batches.takeSlot(batchId, item.id()));
    }

    /** The mini program starts waiting for a slot: records the execution the dispatcher is to wake. */
    public void waiting(DelegateExecution execution) {
        batches.markWaiting(BatchVariables.ITEM_ID.from(execution), execution.getId(), Instant.now(clock));
    }
}
