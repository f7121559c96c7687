package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.miniflow.MiniflowIntegrationTest;

/**
 * What the release processes' listeners record on the batch's rows. The batches here have no process instance, so the
 * release dispatcher running in this context leaves them alone.
 */
@MiniflowIntegrationTest
class ReleaseProgressTest {

    /** A template no other test releases: a batch left active here must not make another test's template busy. */
    private static final long NO_TEMPLATE = 999_017;

    @Autowired
    ReleaseBatchRepository batches;
    private final List<Long> made = new ArrayList<>();

    @AfterEach
    void endTheBatches() {
        for (long id : made) {
            for (BatchStatus status : List.of(BatchStatus.RUNNING, BatchStatus.PAUSED)) {
                batches.setStatus(id, status, BatchStatus.CANCELLED, "test over", Instant.now());
            }
        }
    }

    @Test
    void aCancelledReleaseGivesItsStartSlotBackAndCountsItselfOff() {
        // A release cancelled in Cockpit must give its slot back: without that the batch lost it for good and, with a
        // small concurrency, the rest waited forever. And it must count itself off, or the batch never closes.
        Instant now = Instant.now();
        long batchId = batches.insertBatch("Demo", NO_TEMPLATE, "1.0.0", "slot test", "", false, 2, 100, null, "mpadmin", 1,
            now);
        made.add(batchId);
        batches.insertItems(batchId, List.of("wxslot00000000001"), now);
        batches.beginReleasing(batchId, now);
        long itemId = batches.item(batchId, "wxslot00000000001").orElseThrow().id();
        assertThat(batches.claimQueued(itemId, now)).isTrue();
        assertThat(batches.claimQueued(itemId, now)).as("started once only").isFalse();
        assertThat(batches.takeSlots(batchId, 1)).isTrue();
        assertThat(batches.findBatch(batchId).orElseThrow().inFlight()).isEqualTo(1);

        DelegateExecution cancelled = mock(DelegateExecution.class);
        when(cancelled.isCanceled()).thenReturn(true);
        when(cancelled.getVariable(BatchVariables.ITEM_ID.name())).thenReturn(itemId);
        when(cancelled.getVariable(BatchVariables.BATCH_ID.name())).thenReturn(batchId);
        when(cancelled.getProcessDefinitionId()).thenReturn("wechat-mp-release:1:x");
        new ReleaseProgress(batches, Clock.systemUTC()).processEnded(cancelled);

        assertThat(batches.findBatch(batchId).orElseThrow().inFlight()).isZero();
        assertThat(batches.findBatch(batchId).orElseThrow().unfinished()).isZero();
        assertThat(batches.itemById(itemId).orElseThrow().stage()).isEqualTo(ItemStage.CANCELLED);
    }

    @Test
    void slotsAreTakenOnlyWithinTheConcurrencyAndOnlyOnceTheBatchReleases() {
        Instant now = Instant.now();
        long batchId = batches.insertBatch("Demo", NO_TEMPLATE, "1.0.0", "slot test", "", false, 3, 100, null, "mpadmin", 5,
            now);
        made.add(batchId);
        assertThat(batches.takeSlots(batchId, 1)).as("before its audit-quota check").isFalse();
        batches.beginReleasing(batchId, now);
        assertThat(batches.takeSlots(batchId, 4)).as("more than its concurrency").isFalse();
        assertThat(batches.takeSlots(batchId, 2)).isTrue();
        assertThat(batches.takeSlots(batchId, 2)).as("one left").isFalse();
        assertThat(batches.takeSlots(batchId, 1)).isTrue();
        batches.setStatus(batchId, BatchStatus.RUNNING, BatchStatus.PAUSED, "test", now);
        assertThat(batches.findBatch(batchId).orElseThrow().inFlight()).isEqualTo(3);
    }
}
