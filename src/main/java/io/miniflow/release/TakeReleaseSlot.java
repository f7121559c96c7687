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
        long batchId = ((Number) execution.getVariable(BatchVariables.BATCH_ID)).longValue();
        String appId = (String) execution.getVariable(ReleaseVariables.APP_ID);
        ReleaseItem item = batches.item(batchId, appId).orElseThrow();
        execution.setVariableLocal(BatchVariables.ITEM_ID, item.id());
        boolean granted = batches.takeSlot(batchId, item.id());
        execution.setVariableLocal(BatchVariables.SLOT_GRANTED, granted);
    }

    /** The mini program starts waiting for a slot: records the execution the dispatcher is to wake. */
    public void waiting(DelegateExecution execution) {
        long itemId = ((Number) execution.getVariable(BatchVariables.ITEM_ID)).longValue();
        batches.markWaiting(itemId, execution.getId(), Instant.now(clock));
    }
}
