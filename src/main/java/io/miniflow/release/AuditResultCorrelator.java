package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.AUDIT_DELAYED;
import static io.miniflow.release.ReleaseVariables.AUDIT_REASON;
import static io.miniflow.release.ReleaseVariables.AUDIT_SCREENSHOTS;
import static io.miniflow.release.ReleaseVariables.AUDIT_STATUS;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.miniflow.release.MiniProgramCodePort.AuditState;

import jakarta.annotation.PreDestroy;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Hands audit results to the wechat-mp-release instance of that mini program (its business key is the appid, an
 * indexed lookup even with thousands of releases running): a result (passed or rejected) is correlated as the message
 * the process waits for; a delay is recorded on the instance. A result nobody waits for (the poll got there first, or
 * a replay) changes nothing, and a failed correlation is left to the poll fallback ({@link AuditPoller}), whose
 * answers arrive here too, for the one instance that was polled.
 */
@Component
class AuditResultCorrelator implements AuditResults {

    private static final Logger log = LoggerFactory.getLogger(AuditResultCorrelator.class);

    /** Quick attempts at a push that reached no waiting release, before the poller's round takes it. */
    private static final int QUICK_ATTEMPTS = 3;

    private final RuntimeService runtimeService;
    private final AuditPolls polls;
    private final ScheduledExecutorService quickAttempts =
        Executors.newSingleThreadScheduledExecutor(ReleaseDispatcher.daemonThreads("audit-push-again-"));
    private final Clock clock;

    AuditResultCorrelator(RuntimeService runtimeService, AuditPolls polls, Clock clock) {
        this.runtimeService = runtimeService;
        this.polls = polls;
        this.clock = clock;
    }

    @Override
    public void passed(String appId) {
        // A pass carries no reason and no screenshots (as the poll does).
        correlate(appId, AuditStatus.PASSED, Map.of());
    }

    @Override
    public void rejected(String appId, String reason, List<String> screenshots) {
        Map<String, Object> details = new HashMap<>();
        details.put(AUDIT_REASON.name(), reason);
        details.put(AUDIT_SCREENSHOTS.name(), String.join("|", screenshots));
        correlate(appId, AuditStatus.REJECTED, details);
    }

    @Override
    public void delayed(String appId, String reason) {
        handOver(appId, "DELAY", () -> {
            for (ProcessInstance pi : runtimeService.createProcessInstanceQuery()
                    .processDefinitionKey(ReleaseVariables.PROCESS_KEY)
                    .processInstanceBusinessKey(appId).active().list()) {
                runtimeService.setVariables(pi.getId(), Map.of(AUDIT_DELAYED.name(), true,
                    AUDIT_REASON.name(), reason == null ? "" : reason));
            }
            return true;
        });
    }

    /** A poll found the audit decided: as a push would, for the release that was polled. */
    void decided(String processInstanceId, AuditState state) {
        Map<String, Object> details = new HashMap<>();
        if (state.status() == AuditStatus.REJECTED) {
            details.put(AUDIT_REASON.name(), state.reason());
            details.put(AUDIT_SCREENSHOTS.name(), state.screenshots() == null ? "" : String.join("|", state.screenshots()));
        }
        runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_AUDIT_RESULT)
            .processInstanceId(processInstanceId)
            .setVariable(AUDIT_STATUS.name(), state.status().name())
            .setVariables(details)
            .correlateAllWithResult();
    }

    private void correlate(String appId, AuditStatus status, Map<String, Object> details) {
        if (!handOverNow(appId, status, details)) {
            // Pushed before the release's submit step committed its wait, or the hand-over failed: the poller takes
            // it at its next round (durable), and it is tried again here a few times within seconds meanwhile.
            polls.pushNotHandedOver(appId, Instant.now(clock));
            tryAgainLater(appId, status, details, 1);
        }
    }

    private boolean handOverNow(String appId, AuditStatus status, Map<String, Object> details) {
        return handOver(appId, status.name(), () -> {
            var correlated = runtimeService.createMessageCorrelation(ReleaseVariables.MESSAGE_AUDIT_RESULT)
                .processInstanceBusinessKey(appId)
                .setVariable(AUDIT_STATUS.name(), status.name())
                .setVariables(details)
                .correlateAllWithResult();
            log.debug("audit result {} of {} reached {} waiting release(s)", status, appId, correlated.size());
            return !correlated.isEmpty();
        });
    }

    /** Attempt n comes n seconds after the one before; after the last the poller alone takes it. */
    private void tryAgainLater(String appId, AuditStatus status, Map<String, Object> details, int attempt) {
        if (attempt <= QUICK_ATTEMPTS) {
            quickAttempts.schedule(() -> {
                if (handOverNow(appId, status, details)) {
                    polls.pushHandedOver(appId);
                } else {
                    tryAgainLater(appId, status, details, attempt + 1);
                }
            }, attempt, TimeUnit.SECONDS);
        }
    }

    @PreDestroy
    void stop() {
        quickAttempts.shutdownNow();
    }

    private static boolean handOver(String appId, String result, Supplier<Boolean> handOver) {
        try {
            return handOver.get();
        } catch (RuntimeException e) {
            log.warn("audit result {} of {} not handed over now ({}); the release's poll will pick it up", result,
                appId, e.getMessage());
            return false;
        }
    }
}
