package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.payment.PaymentNotifications;
import io.miniflow.payment.PaymentReceived;
import io.miniflow.payment.RefundReceived;
import io.miniflow.wechat.WechatStore;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Miniflow's own tables stay bounded: rows written longer ago than their retention (the writers' clocks set back, as
 * if months had passed since) are gone after a cleanup, rows just inside it are kept, and so is work still running:
 * a notification delivery still to be sent or being sent. Every assertion is on this test's own rows, so a scheduled
 * run meanwhile changes nothing.
 */
@MiniflowIntegrationTest
class RetentionTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Autowired
    Retention retention;
    @Autowired
    RetentionSettings settings;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    WechatStore wechat;
    @Autowired
    MeterRegistry registry;

    Instant now;
    String id;

    @BeforeEach
    void names() {
        now = Instant.now();
        id = UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void removeWhatIsLeft() {
        jdbc.sql("DELETE FROM mf_audit_log WHERE actor = ?").param("ret-" + id).update();
        jdbc.sql("DELETE FROM mf_notification WHERE workspace = ?").param("ret-" + id).update();
        jdbc.sql("DELETE FROM mf_wechat_push WHERE app_id = ?").param("wxret" + id).update();
        jdbc.sql("DELETE FROM mf_payment_notification WHERE out_trade_no = ?").param("RN" + id).update();
        jdbc.sql("DELETE FROM mf_refund_notification WHERE out_trade_no = ?").param("RN" + id).update();
        jdbc.sql("DELETE FROM mf_rate_window WHERE limiter = ?").param("ret-" + id).update();
        jdbc.sql("DELETE FROM mf_notify_delivery WHERE workspace = ?").param("ret-" + id).update();
        jdbc.sql("DELETE FROM mf_notify_subscription WHERE workspace = ?").param("ret-" + id).update();
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        assertThat(settings.enabled()).isTrue();
        assertThat(settings.interval()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.auditLog()).isEqualTo(Duration.ofDays(365));
        assertThat(settings.notificationDeliveries()).isEqualTo(Duration.ofDays(90));
        assertThat(settings.wechatPushes()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.paymentNotifications()).isEqualTo(Duration.ofDays(365));
        assertThat(settings.consoleNotifications()).isEqualTo(Duration.ofDays(180));
        assertThat(settings.rateWindows()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void auditLogEntriesOlderThanTheirRetentionGo() {
        Duration kept = settings.auditLog();
        new AuditLog(jdbc, clockAgo(kept.plus(HOUR))).record("ret-" + id, "OLD", "test", id, null, null);
        new AuditLog(jdbc, clockAgo(kept.minus(HOUR))).record("ret-" + id, "NEW", "test", id, null, null);

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT action FROM mf_audit_log WHERE actor = ?").param("ret-" + id)
            .query(String.class).list()).containsExactly("NEW");
    }

    @Test
    void consoleNotificationsOlderThanTheirRetentionGo() {
        Duration kept = settings.consoleNotifications();
        new Notifications(jdbc, clockAgo(kept.plus(HOUR))).notify("ret-" + id, null, "old", "旧", null);
        new Notifications(jdbc, clockAgo(kept.minus(HOUR))).notify("ret-" + id, null, "new", "新", null);

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT text_en FROM mf_notification WHERE workspace = ?").param("ret-" + id)
            .query(String.class).list()).containsExactly("new");
    }

    @Test
    void finishedDeliveriesGoAfterTheirRetentionPendingOnesStay() {
        Duration kept = settings.notificationDeliveries();
        long subscription = subscription();
        delivery(subscription, "old-delivered", "DELIVERED", ago(kept.plus(HOUR)));
        delivery(subscription, "old-failed", "FAILED", ago(kept.plus(HOUR)));
        delivery(subscription, "old-cancelled", "CANCELLED", ago(kept.plus(HOUR)));
        delivery(subscription, "new-delivered", "DELIVERED", ago(kept.minus(HOUR)));
        // Running work: still to be sent or being sent, however old.
        delivery(subscription, "old-pending", "PENDING", ago(kept.plus(Duration.ofDays(100))));
        delivery(subscription, "old-sending", "SENDING", ago(kept.plus(Duration.ofDays(100))));

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT subject FROM mf_notify_delivery WHERE workspace = ?").param("ret-" + id)
            .query(String.class).list())
            .containsExactlyInAnyOrder("new-delivered", "old-pending", "old-sending");
    }

    @Test
    void wechatPushesGoAfterTheirRetention() {
        Duration kept = settings.wechatPushes();
        wechat.recordPush("ret:" + id + ":old", "retention_test", "wxret" + id, ago(kept.plus(HOUR)), "<xml/>");
        wechat.recordPush("ret:" + id + ":new", "retention_test", "wxret" + id, ago(kept.minus(HOUR)), "<xml/>");

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT dedupe_key FROM mf_wechat_push WHERE app_id = ?").param("wxret" + id)
            .query(String.class).list()).containsExactly("ret:" + id + ":new");
    }

    @Test
    void paymentAndRefundNotificationsGoAfterTheirRetention() {
        Duration kept = settings.paymentNotifications();
        PaymentNotifications old = new PaymentNotifications(jdbc, event -> { }, clockAgo(kept.plus(HOUR)));
        PaymentNotifications recent = new PaymentNotifications(jdbc, event -> { }, clockAgo(kept.minus(HOUR)));
        old.receive("ret-old-" + id, new PaymentReceived("RO" + id, "T1" + id, "SUCCESS", 100));
        recent.receive("ret-new-" + id, new PaymentReceived("RN" + id, "T2" + id, "SUCCESS", 100));
        old.receive("ret-rold-" + id, new RefundReceived("RO" + id, "RFO" + id, "R1" + id, "SUCCESS", 100));
        recent.receive("ret-rnew-" + id, new RefundReceived("RN" + id, "RFN" + id, "R2" + id, "SUCCESS", 100));

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT out_trade_no FROM mf_payment_notification WHERE out_trade_no IN (?, ?)")
            .params("RO" + id, "RN" + id).query(String.class).list()).containsExactly("RN" + id);
        assertThat(jdbc.sql("SELECT out_refund_no FROM mf_refund_notification WHERE out_trade_no IN (?, ?)")
            .params("RO" + id, "RN" + id).query(String.class).list()).containsExactly("RFN" + id);
    }

    @Test
    void rateWindowsOfAQuietInstallationGo() {
        String limiter = "ret-" + id;
        long second = now.getEpochSecond();
        for (long s : new long[] {second - settings.rateWindows().toSeconds() - 60,
                                  second - settings.rateWindows().toSeconds() + 60}) {
            jdbc.sql("INSERT INTO mf_rate_window (limiter, second_of, used) VALUES (?, ?, 1)").params(limiter, s)
                .update();
        }

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT second_of FROM mf_rate_window WHERE limiter = ?").param(limiter)
            .query(Long.class).list()).containsExactly(second - settings.rateWindows().toSeconds() + 60);
    }

    @Test
    void aLargeBacklogGoesInBatchesAndIsCounted() {
        // More than two statements' worth: the loop goes on while a statement deletes a full batch.
        int rows = settings.batchSize() * 2 + 7;
        Timestamp old = Timestamp.from(ago(settings.auditLog().plus(HOUR)));
        for (int i = 0; i < rows; i++) {
            jdbc.sql("INSERT INTO mf_audit_log (occurred_at, actor, action, object_type, object_id)"
                    + " VALUES (?, ?, 'OLD', 'test', ?)").params(old, "ret-" + id, String.valueOf(i)).update();
        }
        double before = registry.counter("miniflow.retention.deleted", "table", "mf_audit_log").count();

        retention.cleanUp(Instant.now());

        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE actor = ?").param("ret-" + id)
            .query(Integer.class).single()).isZero();
        assertThat(registry.counter("miniflow.retention.deleted", "table", "mf_audit_log").count() - before)
            .isGreaterThanOrEqualTo(rows);
    }

    private Instant ago(Duration duration) {
        return now.minus(duration);
    }

    private Clock clockAgo(Duration duration) {
        return Clock.fixed(ago(duration), ZoneOffset.UTC);
    }

    private long subscription() {
        jdbc.sql("INSERT INTO mf_notify_subscription (workspace, channel, url, events, created_by, created_at,"
                + " deleted_at) VALUES (?, 'WEBHOOK', 'http://localhost:9/none', 'release.failed', 'ret', ?, ?)")
            .params("ret-" + id, Timestamp.from(now), Timestamp.from(now)).update();
        return jdbc.sql("SELECT id FROM mf_notify_subscription WHERE workspace = ?").param("ret-" + id)
            .query(Long.class).single();
    }

    private void delivery(long subscription, String subject, String status, Instant at) {
        jdbc.sql("INSERT INTO mf_notify_delivery (subscription_id, workspace, event_id, event_type, subject, payload,"
                + " status, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, 'release.failed', ?,"
                + " '{}', ?, 1, ?, ?, ?)")
            // Not due during the test (next_attempt_at, a claim lasting a day): no node sends the pending ones.
            .params(subscription, "ret-" + id, UUID.randomUUID().toString(), subject, status,
                Timestamp.from(now.plus(Duration.ofDays(1))), Timestamp.from(at), Timestamp.from(at))
            .update();
        if (status.equals("SENDING")) {
            jdbc.sql("UPDATE mf_notify_delivery SET claimed_by = 'elsewhere', claimed_until = ? WHERE subject = ?"
                    + " AND workspace = ?")
                .params(Timestamp.from(now.plus(Duration.ofDays(1))), subject, "ret-" + id).update();
        }
    }

}
