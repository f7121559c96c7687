package io.miniflow.release;

import static org.mockito.Mockito.RETURNS_DEEP_STUBS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.miniflow.bench.BenchmarkReport;

/**
 * WeChat calls per hour spent on polling audits, with 10,000 releases waiting, on a simulated clock: the real
 * {@link AuditPolls} (its table on an in-memory H2 with Miniflow's migrations) and {@link AuditPoller} (a round every
 * 10 simulated seconds, as configured by default), in front of a stand-in for the platform that counts the polls. Two
 * days are simulated in seconds. Next to each scenario: what the five-minute poll timer it replaced would have cost.
 * Run: {@code mvn -Pbench verify -Dtest=AuditPollingBenchmark}.
 */
@Tag("bench")
class AuditPollingBenchmark {

    private static final int WAITING = 10_000;
    private static final Duration HORIZON = Duration.ofHours(48);
    private static final Duration ROUND = Duration.ofSeconds(10);
    private static final Duration OLD_POLL = Duration.ofMinutes(5);
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    /** A clock the simulation moves. */
    private static final class SimulatedClock extends Clock {
        Instant now = START;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** One scenario's outcome: polls per simulated hour. */
    private record Outcome(long[] pollsPerHour, long oldPolls) {
        long total() {
            long sum = 0;
            for (long p : pollsPerHour) {
                sum += p;
            }
            return sum;
        }

        long between(int fromHour, int toHour) {
            long sum = 0;
            for (int h = fromHour; h < toHour; h++) {
                sum += pollsPerHour[h];
            }
            return sum;
        }
    }

    @Test
    void measureThePollingOfTenThousandWaitingAudits() throws Exception {
        // No push arrives and every audit is still under review after two days (the worst case: a broken push channel).
        Outcome noPush = simulate(1.0, Duration.ofDays(30));
        // Pushes arrive, 1% are lost; audits are decided between 2 h and 2 days after the submission.
        Outcome pushes = simulate(0.01, null);

        StringBuilder hours = new StringBuilder();
        for (int[] range : new int[][] {{0, 1}, {1, 2}, {2, 4}, {4, 8}, {8, 12}, {12, 24}, {24, 48}}) {
            int length = range[1] - range[0];
            hours.append("| %d–%d h | %,d | %,d | %,d |%n".formatted(range[0], range[1],
                noPush.between(range[0], range[1]) / length, pushes.between(range[0], range[1]) / length,
                (long) WAITING * Duration.ofHours(1).dividedBy(OLD_POLL)));
        }
        BenchmarkReport.writeSection("audit-polling-10000", """
            ## Polling 10,000 audits: calls to WeChat per hour

            %,d releases submitted at the same moment wait for their audit; two days simulated with the real
            `AuditPolls` and `AuditPoller` (rounds every 10 s, first poll after 30 min, then twice as far apart up to 6 h)
            on a simulated clock, the platform a stand-in that counts `get_latest_auditstatus` calls. Left: no push ever
            arrives and the audits stay under review (a broken push channel); middle: audits are decided between 2 h and
            2 days after submission (uniformly), their pushes arrive and 1%% are lost; right: the five-minute poll timer
            each waiting release had before, 12 calls an hour each.

            | hours after the submission | no push: polls per hour | pushes (1%% lost): polls per hour | before: polls per hour |
            |---|---|---|---|
            %s
            | **total over 48 h** | **%,d** | **%,d** | **%,d** (no push: the same waits) |

            With no push at all, the poller settles at one poll per release every 6 hours: %,d calls an hour for
            %,d waiting, about %.2f a second, against %,d an hour (%.0f a second) before. With pushes working, a
            release is polled only while its audit runs, ever more rarely, and never after its push: %,d polls in two
            days, %.1f%% of the %,d the poll timer made for the same waits. A push that reaches no release (it came
            before the submit step committed, or its hand-over failed) makes that release due at the next round.
            Rerun: `mvn -Pbench verify -Dtest=AuditPollingBenchmark` (seconds; no database or emulator needed).
            """.formatted(WAITING, hours.toString().strip(), noPush.total(), pushes.total(), noPush.oldPolls(),
            noPush.between(24, 48) / 24, WAITING, noPush.between(24, 48) / 24 / 3600.0,
            (long) WAITING * Duration.ofHours(1).dividedBy(OLD_POLL),
            WAITING * (double) Duration.ofHours(1).dividedBy(OLD_POLL) / 3600, pushes.total(),
            100.0 * pushes.total() / pushes.oldPolls(), pushes.oldPolls()));
    }

    /**
     * Runs two days. {@code lostShare} of the pushes never arrive; {@code fixedAudit} (or, when null, a random time
     * between 2 h and 2 days) is how long an audit takes.
     */
    private Outcome simulate(double lostShare, Duration fixedAudit) {
        SimulatedClock clock = new SimulatedClock();
        JdbcClient jdbc = database();
        ReleaseTimings timings = new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H",
            "R5/PT1M");
        AuditPolls polls = new AuditPolls(jdbc, timings, clock);

        Random random = new Random(17);
        Map<String, Instant> decidedAt = new HashMap<>();
        List<String> pushLost = new ArrayList<>();
        for (int i = 0; i < WAITING; i++) {
            String appId = "wxsim%013d".formatted(i);
            Duration audit = fixedAudit != null ? fixedAudit
                : Duration.ofMinutes(120 + random.nextInt((int) (HORIZON.toMinutes() - 120)));
            decidedAt.put(appId, START.plus(audit));
            if (random.nextDouble() < lostShare) {
                pushLost.add(appId);
            }
            polls.waiting(execution("pi-" + appId, appId));
        }

        long[] pollsPerHour = new long[(int) HORIZON.toHours()];
        FakeMiniProgramPlatform platform = new FakeMiniProgramPlatform() {
            @Override
            public MiniProgramCodePort.AuditState latestAudit(String appId) {
                pollsPerHour[(int) Duration.between(START, clock.now).toHours()]++;
                AuditStatus status = clock.now.isBefore(decidedAt.get(appId)) ? AuditStatus.UNDER_REVIEW
                    : AuditStatus.PASSED;
                return new MiniProgramCodePort.AuditState(1, status, null, List.of(), "1.0.0");
            }
        };
        AuditResultCorrelator results = new AuditResultCorrelator(mock(RuntimeService.class, RETURNS_DEEP_STUBS), polls,
            clock) {
            @Override
            void decided(String processInstanceId, MiniProgramCodePort.AuditState state) {
                // The correlated message ends the release's wait, whose end listener deletes its row.
                polls.answered(execution(processInstanceId, null));
            }
        };
        AuditPoller poller = new AuditPoller(polls, new MiniProgramRelease(platform), results, clock);

        List<String> pushesDue = new ArrayList<>(decidedAt.keySet());
        pushesDue.removeAll(pushLost);
        pushesDue.sort((a, b) -> decidedAt.get(a).compareTo(decidedAt.get(b)));
        int nextPush = 0;
        long oldPolls = 0;
        for (Instant end = START.plus(HORIZON); clock.now.isBefore(end); clock.now = clock.now.plus(ROUND)) {
            while (nextPush < pushesDue.size() && !decidedAt.get(pushesDue.get(nextPush)).isAfter(clock.now)) {
                polls.answered(execution("pi-" + pushesDue.get(nextPush++), null));
            }
            poller.pollDue();
        }
        for (Instant decided : decidedAt.values()) {
            Duration waited = Duration.between(START, decided.isBefore(START.plus(HORIZON)) ? decided
                : START.plus(HORIZON));
            oldPolls += waited.dividedBy(OLD_POLL);
        }
        return new Outcome(pollsPerHour, oldPolls);
    }

    private static DelegateExecution execution(String processInstanceId, String appId) {
        DelegateExecution execution = mock(DelegateExecution.class);
        when(execution.getProcessInstanceId()).thenReturn(processInstanceId);
        when(execution.getVariable(ReleaseVariables.APP_ID.name())).thenReturn(appId);
        return execution;
    }

    /** A fresh in-memory H2 with Miniflow's migrations. */
    private static JdbcClient database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:audit-polling-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return JdbcClient.create(dataSource);
    }
}
