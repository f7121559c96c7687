package io.miniflow.wechat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Keeps Miniflow's calls to WeChat under {@code miniflow.wechat.rate-limit-per-second} for all nodes together,
 * counted per second in {@code mf_rate_window}; why it counts this way: docs/decisions/006.
 */
@Component
class WechatRateLimit implements DisposableBean {

    private static final String LIMITER = "wechat";

    private final DataSource database;
    private final HikariDataSource ownPool;
    private final int perSecond;
    private final int lease;
    private final Duration wait;
    private final Clock clock;

    private long second = -1;
    private int leasedLeft;

    @Autowired
    WechatRateLimit(DataSourceProperties database,
                    @Value("${miniflow.wechat.rate-limit-per-second:200}") int perSecond,
                    @Value("${miniflow.wechat.rate-limit-lease:0}") int lease,
                    @Value("${miniflow.wechat.rate-limit-wait:PT10S}") Duration wait) {
        this(ownPool(database), true, perSecond, lease, wait, Clock.systemUTC());
    }

    /** For tests: counts in the given database; a lease of 0 means a twentieth of the rate. */
    WechatRateLimit(DataSource database, int perSecond, int lease, Duration wait, Clock clock) {
        this(database, false, perSecond, lease, wait, clock);
    }

    private WechatRateLimit(DataSource database, boolean ownsPool, int perSecond, int lease, Duration wait,
                            Clock clock) {
        this.database = database;
        this.ownPool = ownsPool ? (HikariDataSource) database : null;
        this.perSecond = Math.max(1, perSecond);
        this.lease = Math.min(this.perSecond, lease > 0 ? lease : Math.max(1, this.perSecond / 20));
        this.wait = wait;
        this.clock = clock;
    }

    private static HikariDataSource ownPool(DataSourceProperties database) {
        HikariDataSource pool = database.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        pool.setPoolName("wechat-rate-limit");
        pool.setMaximumPoolSize(2);
        pool.setMinimumIdle(0);
        return pool;
    }

    /** Takes a permit, waiting for the next seconds up to the configured wait; false when none came. */
    synchronized boolean acquire() {
        long deadline = clock.millis() + wait.toMillis();
        while (true) {
            long now = clock.millis();
            if (now / 1000 != second) {
                second = now / 1000;
                leasedLeft = 0;
            }
            if (leasedLeft == 0) {
                leasedLeft = leaseFor(second);
            }
            if (leasedLeft > 0) {
                leasedLeft--;
                return true;
            }
            long nextSecond = (second + 1) * 1000;
            if (nextSecond > deadline) {
                return false;
            }
            try {
                Thread.sleep(Math.max(1, nextSecond - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Raises the second's count by a lease, or by what is left of it; returns how many permits were taken. */
    private int leaseFor(long second) {
        try (Connection connection = database.getConnection()) {
            connection.setAutoCommit(true);
            for (int attempt = 0; attempt < 3; attempt++) {
                if (raise(connection, second, lease)) {
                    return lease;
                }
                Integer used = used(connection, second);
                if (used == null) {
                    try {
                        begin(connection, second);
                        return lease;
                    } catch (SQLIntegrityConstraintViolationException anotherNodeBegan) {
                        continue;
                    }
                }
                int rest = Math.min(perSecond - used, lease);
                if (rest <= 0) {
                    return 0;
                }
                if (raise(connection, second, rest)) {
                    return rest;
                }
            }
            return 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the WeChat call rate in mf_rate_window: " + e.getMessage(), e);
        }
    }

    private boolean raise(Connection connection, long second, int by) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE mf_rate_window SET used = used + ?"
                + " WHERE limiter = ? AND second_of = ? AND used + ? <= ?")) {
            update.setInt(1, by);
            update.setString(2, LIMITER);
            update.setLong(3, second);
            update.setInt(4, by);
            update.setInt(5, perSecond);
            return update.executeUpdate() == 1;
        }
    }

    private static Integer used(Connection connection, long second) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT used FROM mf_rate_window WHERE limiter = ? AND second_of = ?")) {
            select.setString(1, LIMITER);
            select.setLong(2, second);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    /** The first lease of a second creates its row and drops rows older than a minute. */
    private void begin(Connection connection, long second) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO mf_rate_window (limiter, second_of, used) VALUES (?, ?, ?)")) {
            insert.setString(1, LIMITER);
            insert.setLong(2, second);
            insert.setInt(3, lease);
            insert.executeUpdate();
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM mf_rate_window WHERE limiter = ? AND second_of < ?")) {
            delete.setString(1, LIMITER);
            delete.setLong(2, second - 60);
            delete.executeUpdate();
        }
    }

    int perSecond() {
        return perSecond;
    }

    @Override
    public void destroy() {
        if (ownPool != null) {
            ownPool.close();
        }
    }
}
