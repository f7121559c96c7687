package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The WeChat call rate counted for all nodes together: two limiters on one database stand for two nodes. The clock is
 * set by the test, so "the same second" and "the next second" are exact.
 */
class WechatRateLimitTest {

    private DriverManagerDataSource database;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-27T10:00:00.100Z"));

    @BeforeEach
    void createTable() throws IOException {
        database = new DriverManagerDataSource("jdbc:h2:mem:rate-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        new JdbcTemplate(database).execute(Files.readString(Path.of("db/migration/V15__shared_rate_windows.sql")));
    }

    @Test
    void twoNodesShareOneLimitWithinASecond() {
        WechatRateLimit a = limit(6, 2);
        WechatRateLimit b = limit(6, 2);
        int granted = 0;
        for (int i = 0; i < 5; i++) {
            granted += (a.acquire() ? 1 : 0) + (b.acquire() ? 1 : 0);
        }
        assertThat(granted).as("permits for both nodes in one second").isEqualTo(6);
        assertThat(a.acquire()).isFalse();
        assertThat(b.acquire()).isFalse();

        clock.set(clock.instant().plusSeconds(1));
        assertThat(a.acquire()).as("a new second").isTrue();
        assertThat(b.acquire()).isTrue();
    }

    @Test
    void theLastLeaseOfASecondIsWhatIsLeftOfIt() {
        WechatRateLimit a = limit(5, 2);
        WechatRateLimit b = limit(5, 2);
        assertThat(a.acquire()).isTrue();   // a leases 2 (used 2)
        assertThat(b.acquire()).isTrue();   // b leases 2 (used 4)
        assertThat(b.acquire()).isTrue();   // b's second leased permit
        assertThat(b.acquire()).as("b leases the 1 left").isTrue();
        assertThat(b.acquire()).isFalse();
        assertThat(a.acquire()).as("a still holds one it leased").isTrue();
        assertThat(a.acquire()).isFalse();
        assertThat(new JdbcTemplate(database).queryForObject("SELECT SUM(used) FROM mf_rate_window", Integer.class))
            .isEqualTo(5);
    }

    @Test
    void permitsLeftOverAtTheEndOfASecondAreDropped() {
        WechatRateLimit a = limit(4, 4);
        WechatRateLimit b = limit(4, 4);
        assertThat(a.acquire()).isTrue();   // a leases all 4 of this second and uses one
        assertThat(b.acquire()).isFalse();

        clock.set(clock.instant().plusSeconds(1));
        assertThat(b.acquire()).as("b leases the new second").isTrue();
        assertThat(a.acquire()).as("a's three left from the last second are gone").isFalse();
    }

    @Test
    void aCallerWaitsForTheNextSecondWithinTheWait() {
        WechatRateLimit a = new WechatRateLimit(database, 1, 1, Duration.ofSeconds(3), Clock.systemUTC());
        assertThat(a.acquire()).isTrue();
        assertThat(a.acquire()).as("granted in one of the next seconds").isTrue();
    }

    @Test
    void aLeaseIsATwentiethOfTheRateUnlessSet() {
        WechatRateLimit a = limit(200, 0);
        assertThat(a.acquire()).isTrue();
        assertThat(new JdbcTemplate(database).queryForObject("SELECT used FROM mf_rate_window", Integer.class))
            .isEqualTo(10);
    }

    @Test
    void countingNeverKeepsAConnectionForTheCallersTransaction() throws Exception {
        // Jobs call WeChat inside their engine transactions: the limiter's connection must go back to its own pool at
        // once, not when the caller's transaction ends, or a few concurrent steps would take every connection of it.
        HikariDataSource onePool = new HikariDataSource();
        onePool.setJdbcUrl(database.getUrl());
        onePool.setUsername("sa");
        onePool.setMaximumPoolSize(1);
        onePool.setConnectionTimeout(250);
        ExecutorService twoSteps = Executors.newFixedThreadPool(2);
        try (onePool) {
            WechatRateLimit limit = new WechatRateLimit(onePool, 10, 1, Duration.ZERO, clock);
            CountDownLatch firstCalled = new CountDownLatch(1);
            CountDownLatch secondCalled = new CountDownLatch(1);
            Future<Boolean> first = twoSteps.submit(() -> inATransaction(() -> {
                boolean granted = limit.acquire();
                firstCalled.countDown();
                secondCalled.await(5, TimeUnit.SECONDS);
                return granted;
            }));
            firstCalled.await(5, TimeUnit.SECONDS);
            Future<Boolean> second = twoSteps.submit(() -> inATransaction(() -> {
                try {
                    return limit.acquire();
                } finally {
                    secondCalled.countDown();
                }
            }));
            assertThat(second.get(5, TimeUnit.SECONDS)).as("second step, while the first one's transaction is open")
                .isTrue();
            assertThat(first.get(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            twoSteps.shutdownNow();
        }
    }

    /** Runs the work as inside a Spring transaction of some other database (synchronization active). */
    private static <T> T inATransaction(Callable<T> work) throws Exception {
        TransactionSynchronizationManager.initSynchronization();
        try {
            return work.call();
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    private WechatRateLimit limit(int perSecond, int lease) {
        return new WechatRateLimit(database, perSecond, lease, Duration.ZERO, clock);
    }

    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
