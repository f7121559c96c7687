package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

import jakarta.annotation.PreDestroy;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
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
    private final RepositoryService repositoryService;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final int startsPerTransaction;
    private final ExecutorService starters;

    ReleaseDispatcher(ReleaseBatchRepository batches, ReleaseInputs inputs, RuntimeService runtimeService,
                      RepositoryService repositoryService, TransactionTemplate transaction, Clock clock,
                      @Value("${miniflow.release.starts-per-transaction:20}") int startsPerTransaction,
                      @Value("${miniflow.release.dispatch-threads:4}") int threads) {
        this.batches = batches;
        this.inputs = inputs;
        this.runtimeService = runtimeService;
        this.repositoryService = repositoryService;
        this.transaction = transaction;
        this.clock = clock;
        this.startsPerTransaction = Math.max(1, startsPerTransaction);
        this.starters = Executors.newFixedThreadPool(Math.max(1, threads), daemonThreads("release-dispatch-"));
    }

    /** Threads named {@code prefix} and a number that do not keep the JVM from stopping. */
    static ThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
        factory.setDaemon(true);
        return factory;
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

    /**
     * Starts as many queued mini programs as the batch has free slots, in groups of {@code starts-per-transaction}
     * run side by side on {@code dispatch-threads} threads (a start writes a few dozen rows; one thread alone held a
     * big batch to about 20 starts a second).
     */
    private void startQueued(ReleaseBatch batch) {
        int free = batch.concurrency() - batch.inFlight();
        if (free <= 0) {
            return;
        }
        List<Queued> next = batches.queued(batch.id(), free);
        if (next.isEmpty()) {
            return;
        }
        // Looked up once per round: starting by key asks the database for the latest version at every start.
        String release = latestReleaseDefinition();
        List<Future<Integer>> groups = new ArrayList<>();
        for (int from = 0; from < next.size(); from += startsPerTransaction) {
            List<Queued> group = next.subList(from, Math.min(next.size(), from + startsPerTransaction));
            groups.add(starters.submit(() -> transaction.execute(status -> {
                int started = start(batch, group, release);
                if (started == 0) {
                    // Paused or halted meanwhile, no room left, or another node started these.
                    status.setRollbackOnly();
                }
                return started;
            })));
        }
        for (Future<Integer> group : groups) {
            try {
                group.get();
            } catch (ExecutionException e) {
                log.warn("Mini programs of batch {} not started this time: {}", batch.id(), e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Claims the items, starts their releases and takes their slots, together or not at all. The slots come last: the
     * batch's row stays locked only from there to the commit, not while the releases are written, so the releases
     * that give a slot back meanwhile do not wait for this transaction.
     */
    private int start(ReleaseBatch batch, List<Queued> next, String releaseDefinitionId) {
        Instant now = Instant.now(clock);
        List<Queued> claimed = next.stream().filter(q -> batches.claimQueued(q.itemId(), now)).toList();
        if (claimed.isEmpty()) {
            return 0;
        }
        for (Queued item : claimed) {
            ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceById(releaseDefinitionId,
                item.appId(), inputs.forBatchItem(batch, item)));
        }
        return batches.takeSlots(batch.id(), claimed.size()) ? claimed.size() : 0;
    }

    private String latestReleaseDefinition() {
        return repositoryService.createProcessDefinitionQuery().processDefinitionKey(ReleaseVariables.PROCESS_KEY)
            .latestVersion().singleResult().getId();
    }

    @PreDestroy
    void stop() {
        starters.shutdownNow();
    }

    /** Every release of the batch ended: the batch goes on to close. A batch already woken waits for nothing. */
    private void wake(ReleaseBatch batch) {
        runtimeService.createMessageCorrelation(BatchVariables.ALL_ENDED_MESSAGE)
            .processInstanceId(batch.processInstanceId()).correlateAllWithResult();
    }
}
