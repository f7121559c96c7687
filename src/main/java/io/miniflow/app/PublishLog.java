package io.miniflow.app;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Component;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a version's publish log and status from inside a running deploy job in their own transactions, so the
 * version's page shows progress while the step still runs, and a failed attempt leaves its trace after the
 * engine rolls the step back.
 */
@Component
class PublishLog {

    private final AppRepository repository;
    private final TransactionTemplate separate;
    private final Clock clock;
    private final Events events;

    PublishLog(AppRepository repository, PlatformTransactionManager transactions, Clock clock, Events events) {
        this.events = events;
        this.repository = repository;
        this.separate = new TransactionTemplate(transactions);
        this.separate.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    void info(long versionId, String message) {
        write(versionId, "INFO", message);
    }

    void error(long versionId, String message) {
        write(versionId, "ERROR", message);
    }

    void status(long versionId, VersionStatus status, String reason) {
        separate.executeWithoutResult(tx -> repository.setStatus(versionId, status, reason));
    }

    /** FAILED for good (no retries left), announced as publish.failed in the same transaction as the status. */
    void failed(long versionId, String reason, PublishFailure what) {
        separate.executeWithoutResult(tx -> {
            repository.setStatus(versionId, VersionStatus.FAILED, reason);
            announceFailure(what, reason);
        });
    }

    /** publish.failed in the caller's transaction. */
    void announceFailure(PublishFailure what, String reason) {
        events.publish(what.workspace(), EventType.PUBLISH_FAILED, what.appCode() + " " + what.version() + " → "
            + what.envCode(), Events.data("appCode", what.appCode(), "envCode", what.envCode(), "version",
            what.version(), "reason", reason), what.consolePath());
    }

    /** Which publish failed, for its event. */
    record PublishFailure(String workspace, String appCode, String envCode, String version, String processInstanceId) {

        String consolePath() {
            return "/apps/" + appCode + "/environments/" + envCode + "/publishes/" + processInstanceId;
        }
    }

    private void write(long versionId, String level, String message) {
        Instant now = Instant.now(clock);
        separate.executeWithoutResult(tx -> repository.log(versionId, level, message, now));
    }
}
