package io.miniflow.release;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.miniflow.release.MiniProgramCodePort.AuditState;

/**
 * The fallback for audit pushes that did not arrive: asks the platform about the releases whose poll is due
 * ({@link AuditPolls}), further apart each time, and hands a decided audit to its release as the push would. A release
 * whose push arrived is no longer waiting and is never polled, so a healthy push channel costs almost no calls; one
 * whose push came before its wait was committed (or could not be handed over) is polled at the next round.
 */
@Component
class AuditPoller {

    private static final Logger log = LoggerFactory.getLogger(AuditPoller.class);
    /** Polls per round; the rest wait for the next round, a few seconds later. */
    private static final int ROUND = 200;

    private final AuditPolls polls;
    private final MiniProgramRelease release;
    private final AuditResultCorrelator results;
    private final Clock clock;

    AuditPoller(AuditPolls polls, MiniProgramRelease release, AuditResultCorrelator results, Clock clock) {
        this.polls = polls;
        this.release = release;
        this.results = results;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${miniflow.release.audit-poll-check:PT10S}")
    void pollDue() {
        polls.takeEarlyPushes(Instant.now(clock));
        for (AuditPolls.Due due : polls.due(Instant.now(clock), ROUND)) {
            if (!polls.claim(due, Instant.now(clock))) {
                continue;
            }
            try {
                AuditState state = release.auditState(due.appId());
                if (state != null && state.status().isDecided()) {
                    results.decided(due.processInstanceId(), state);
                }
            } catch (RuntimeException e) {
                // The next poll, later, asks again; the push may also come first.
                log.warn("Audit of {} not polled now: {}", due.appId(), e.getMessage());
            }
        }
    }
}
