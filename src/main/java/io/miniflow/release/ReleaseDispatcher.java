package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.release.ReleaseBatchRepository.Queued;
import io.miniflow.shared.ProtectedVariables;

/**
 * Starts the queued mini programs of running batches as start slots free up, each as a wechat-mp-release of its own,
 * and wakes a batch once all its releases ended (docs/decisions/004). Safe on every node at once: an item is claimed
 * and its slot taken by conditional updates in the transaction that starts its release.
 */
@Component
class ReleaseDispatcher {

    private static final Logger log = LoggerFactory.getLogger(ReleaseDispatcher.class);

    private final ReleaseBatchRepository batches;
    private final ReleaseInputs inputs;
    private final RuntimeService runtimeService;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final int startsPerTransaction;

    ReleaseDispatcher(ReleaseBatchRepository batches, ReleaseInputs inputs, RuntimeService runtimeService,
                      TransactionTemplate transaction, Clock clock,
                      @Value("${miniflow.release.starts-per-transaction:20}") int startsPerTransaction) {
        this.batches = batches;
        this.inputs = inputs;
        this.runtimeService = runtimeService;
        this.transaction = transaction;
        this.clock = clock;
        this.startsPerTransaction = Math.max(1, startsPerTransaction);
    }

    @Scheduled(fixedDelayString = "${miniflow.release.dispatch-interval:PT1S}")
    void dispatch() {
        for (ReleaseBatch batch : batches.activeBatches()) {
            if (batch.releasingSince() == null || batch.processInstanceId() == null) {
                continue;
            }
            try {
                if (batch.unfinished() <= 0) {
                    wake(batch);
                } else if (batch.status() == BatchStatus.RUNNING) {
                    startQueued(batch);
                }
            } catch (RuntimeException e) {
                // Tried again on the next round; nothing was started or counted by the failed transaction.
                log.warn("Release batch {} not dispatched this time: {}", batch.id(), e.toString());
            }
        }
    }

    private void startQueued(ReleaseBatch batch) {
        int free = batch.concurrency() - batch.inFlight();
        while (free > 0) {
            List<Queued> next = batches.queued(batch.id(), Math.min(free, startsPerTransaction));
            if (next.isEmpty()) {
                return;
            }
            Integer started = transaction.execute(status -> {
                int n = start(batch, next);
                if (n == 0) {
                    status.setRollbackOnly();
                }
                return n;
            });
            if (started == null || started == 0) {
                // Paused or halted meanwhile, no room left, or another node started these.
                return;
            }
            free -= started;
        }
    }

    /** Claims the items, takes their slots and starts their releases, together or not at all. */
    private int start(ReleaseBatch batch, List<Queued> next) {
        Instant now = Instant.now(clock);
        List<Queued> claimed = next.stream().filter(q -> batches.claimQueued(q.itemId(), now)).toList();
        if (claimed.isEmpty() || !batches.takeSlots(batch.id(), claimed.size())) {
            return 0;
        }
        for (Queued item : claimed) {
            ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceByKey(ReleaseVariables.PROCESS_KEY,
                item.appId(), inputs.forBatchItem(batch, item)));
        }
        return claimed.size();
    }

    /** Every release of the batch ended: the batch goes on to close. A batch already woken waits for nothing. */
    private void wake(ReleaseBatch batch) {
        runtimeService.createMessageCorrelation(BatchVariables.ALL_ENDED_MESSAGE)
            .processInstanceId(batch.processInstanceId()).correlateAllWithResult();
    }
}
