package io.miniflow.release;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The releases waiting for WeChat's audit result (mf_audit_wait) and when each is to be polled. Execution listeners on
 * wechat-mp-release's wait ({@code ${auditPolls.waiting(execution)}} at its start, {@code ${auditPolls.answered(execution)}}
 * at its end: a push, a poll's answer, or the instance cancelled) keep the table in step with the process in the same
 * transaction; the {@link AuditPoller} reads the due rows.
 */
@Component("auditPolls")
public class AuditPolls {

    /** A release whose poll is due, and how often it was polled before. */
    record Due(String processInstanceId, String appId, int polls) {
    }

    /** How long a push that found no waiting release is remembered (a replayed push never finds one). */
    private static final Duration EARLY_PUSH_KEPT = Duration.ofHours(1);

    /**
     * The poller leaves an early push alone this long: the correlator tries it again itself 1, 2 and 3 s after it
     * came, and a poll meanwhile only raced those attempts for the same release (both correlating, one failing on
     * the engine's optimistic lock).
     */
    static final Duration QUICK_ATTEMPTS_WINDOW = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final ReleaseTimings timings;
    private final Clock clock;

    AuditPolls(JdbcClient jdbc, ReleaseTimings timings, Clock clock) {
        this.jdbc = jdbc;
        this.timings = timings;
        this.clock = clock;
    }

    /** The release starts waiting for its audit result: first poll after {@code auditPollFirst}. */
    public void waiting(DelegateExecution execution) {
        Instant now = Instant.now(clock);
        // Its row from an earlier wait (a resubmission) went with that wait's end (answered).
        jdbc.sql("INSERT INTO mf_audit_wait (process_instance_id, app_id, submitted_at, next_poll_at, polls)"
                + " VALUES (?, ?, ?, ?, 0)")
            .params(execution.getProcessInstanceId(), ReleaseVariables.APP_ID.from(execution), Timestamp.from(now),
                Timestamp.from(now.plus(timings.auditPollDelay(0))))
            .update();
    }

    /** The wait ended: nothing to poll for this release any more. */
    public void answered(DelegateExecution execution) {
        jdbc.sql("DELETE FROM mf_audit_wait WHERE process_instance_id = ?").param(execution.getProcessInstanceId())
            .update();
    }

    /** Releases whose poll is due, the longest overdue first. */
    List<Due> due(Instant now, int limit) {
        return jdbc.sql("SELECT process_instance_id, app_id, polls FROM mf_audit_wait"
                + " WHERE next_poll_at <= ? ORDER BY next_poll_at LIMIT ?")
            .params(Timestamp.from(now), limit)
            .query((rs, n) -> new Due(rs.getString(1), rs.getString(2), rs.getInt(3)))
            .list();
    }

    /**
     * Takes the poll for this node and schedules the next one; false when another node took it (or the wait ended).
     * A node that dies after claiming leaves the release to the next poll, later: nothing is lost.
     */
    boolean claim(Due due, Instant now) {
        return jdbc.sql("UPDATE mf_audit_wait SET polls = polls + 1, next_poll_at = ?"
                + " WHERE process_instance_id = ? AND polls = ?")
            .params(Timestamp.from(now.plus(timings.auditPollDelay(due.polls() + 1))), due.processInstanceId(),
                due.polls())
            .update() == 1;
    }

    /**
     * A decided audit of this mini program was pushed but reached no waiting release: its release is polled at the
     * poller's next round ({@link #takeEarlyPushes}), also when its wait is committed only after this.
     */
    void pushNotHandedOver(String appId, Instant now) {
        if (jdbc.sql("UPDATE mf_audit_push SET received_at = ? WHERE app_id = ?").params(Timestamp.from(now), appId)
                .update() == 0) {
            try {
                jdbc.sql("INSERT INTO mf_audit_push (app_id, received_at) VALUES (?, ?)")
                    .params(appId, Timestamp.from(now)).update();
            } catch (DuplicateKeyException sameMomentOnAnotherNode) {
                // Recorded already.
            }
        }
    }

    /** The push was handed over after all (a quick second attempt): nothing for the poller to hurry. */
    void pushHandedOver(String appId) {
        jdbc.sql("DELETE FROM mf_audit_push WHERE app_id = ?").param(appId).update();
    }

    /**
     * Makes the releases with an early or failed push due now and forgets those pushes, once the correlator's own
     * quick attempts are over ({@link #QUICK_ATTEMPTS_WINDOW}); a push whose release is not waiting (yet) is kept for
     * the next round, and forgotten after {@code EARLY_PUSH_KEPT}.
     */
    void takeEarlyPushes(Instant now) {
        Timestamp quickAttemptsOver = Timestamp.from(now.minus(QUICK_ATTEMPTS_WINDOW));
        jdbc.sql("UPDATE mf_audit_wait SET next_poll_at = ? WHERE next_poll_at > ?"
                + " AND app_id IN (SELECT app_id FROM mf_audit_push WHERE received_at <= ?)")
            .params(Timestamp.from(now), Timestamp.from(now), quickAttemptsOver).update();
        jdbc.sql("DELETE FROM mf_audit_push WHERE (received_at <= ? AND app_id IN (SELECT app_id FROM mf_audit_wait))"
                + " OR received_at < ?")
            .params(quickAttemptsOver, Timestamp.from(now.minus(EARLY_PUSH_KEPT))).update();
    }
}
