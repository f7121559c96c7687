package io.miniflow.release;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * After a mini program's release ended (released, abandoned, rolled back): frees its start slot for the next one, if it
 * still holds it. Most gave it back already when they began waiting for WeChat's audit ({@link ReleaseProgress}).
 */
@Component("freeReleaseSlot")
class FreeReleaseSlot implements JavaDelegate {

    private final ReleaseBatchRepository batches;

    FreeReleaseSlot(ReleaseBatchRepository batches) {
        this.batches = batches;
    }

    @Override
    public void execute(DelegateExecution execution) {
        batches.freeSlot(BatchVariables.BATCH_ID.from(execution), BatchVariables.ITEM_ID.from(execution));
    }
}
