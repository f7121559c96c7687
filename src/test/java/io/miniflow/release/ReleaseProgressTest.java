package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.miniflow.MiniflowIntegrationTest;

/** What the release processes' listeners record on the batch's rows. */
@MiniflowIntegrationTest
class ReleaseProgressTest {

    @Autowired
    ReleaseBatchRepository batches;

    @Test
    void aCancelledReleaseGivesItsStartSlotBack() {
        // A release cancelled in Cockpit skips the chunk's step that frees the slot; without this the batch lost it
        // for good and, with a small concurrency, the rest waited forever.
        Instant now = Instant.now();
        long batchId = batches.insertBatch("Demo", 1, "1.0.0", "slot test", "", false, 2, 100, null, "mpadmin", now);
        batches.insertItems(batchId, List.of("wxslot00000000001"), now);
        long itemId = batches.item(batchId, "wxslot00000000001").orElseThrow().id();
        assertThat(batches.takeSlot(batchId, itemId)).isTrue();
        assertThat(batches.findBatch(batchId).orElseThrow().inFlight()).isEqualTo(1);

        DelegateExecution cancelled = mock(DelegateExecution.class);
        when(cancelled.isCanceled()).thenReturn(true);
        when(cancelled.getVariable(BatchVariables.ITEM_ID.name())).thenReturn(itemId);
        when(cancelled.getVariable(BatchVariables.BATCH_ID.name())).thenReturn(batchId);
        when(cancelled.getProcessDefinitionId()).thenReturn("wechat-mp-release:1:x");
        new ReleaseProgress(batches, Clock.systemUTC()).processEnded(cancelled);

        assertThat(batches.findBatch(batchId).orElseThrow().inFlight()).isZero();
        assertThat(batches.itemById(itemId).orElseThrow().stage()).isEqualTo(ItemStage.CANCELLED);
    }
}
