package io.miniflow.shared;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the rows of Miniflow's own growing tables once they are older than their retention
 * ({@link RetentionSettings}, {@code miniflow.retention.*}); what is kept how long and why: docs/operations.md.
 * Only finished things go: a notification delivery still PENDING or SENDING stays. The engine's tables are the
 * engine's history cleanup's; mf_openapi_nonce, mf_app_upload_signature and mf_audit_push (early audit pushes, which
 * the audit poller hands to their waiting release or forgets within an hour) have their own jobs (OpenApiNonces,
 * AppUploadStore, AuditPolls).
 * <p>
 * Deletes in statements of {@code batch-size} rows, each committed on its own, until a statement finds fewer: a large
 * first cleanup holds no long locks. Every node runs it; that is safe, as deleting rows another node deleted already
 * deletes nothing. Deleted rows are counted in {@code miniflow.retention.deleted{table=...}}.
 */
@Component
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** One table's cleanup: the rows matching {@code where} (one parameter: the cutoff) are deleted. */
    private record Rule(String table, Duration kept, String where, Function<Instant, Object> cutoff) {
    }

    private static final Function<Instant, Object> TIMESTAMP = Timestamp::from;

    private final JdbcClient jdbc;
    private final RetentionSettings settings;
    private final Clock clock;
    private final List<Rule> rules;
    private final Map<String, Counter> deleted = new LinkedHashMap<>();

    Retention(JdbcClient jdbc, RetentionSettings settings, MeterRegistry registry, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.rules = List.of(
            new Rule("mf_audit_log", settings.auditLog(), "occurred_at < ?", TIMESTAMP),
            // Finished only (notify.DeliveryStatus): DELIVERED, FAILED and CANCELLED; updated_at is when it finished.
            new Rule("mf_notify_delivery", settings.notificationDeliveries(),
                "status IN ('DELIVERED', 'FAILED', 'CANCELLED') AND updated_at < ?", TIMESTAMP),
            // Recorded to recognise a replayed push; WeChat's signature is refused after 5 minutes anyway.
            new Rule("mf_wechat_push", settings.wechatPushes(), "received_at < ?", TIMESTAMP),
            new Rule("mf_payment_notification", settings.paymentNotifications(), "received_at < ?", TIMESTAMP),
            new Rule("mf_refund_notification", settings.paymentNotifications(), "received_at < ?", TIMESTAMP),
            new Rule("mf_notification", settings.consoleNotifications(), "created_at < ?", TIMESTAMP),
            // WechatRateLimit trims its windows itself while calls are made; this trims a quiet installation too.
            new Rule("mf_rate_window", settings.rateWindows(), "second_of < ?", at -> at.getEpochSecond()));
        for (Rule rule : rules) {
            deleted.put(rule.table(), Counter.builder("miniflow.retention.deleted")
                .description("Rows deleted by Miniflow's retention, older than the table's retention")
                .tag("table", rule.table()).register(registry));
        }
    }

    @Scheduled(fixedDelayString = "${miniflow.retention.interval:PT1H}",
        initialDelayString = "${miniflow.retention.initial-delay:PT5M}")
    void scheduled() {
        if (settings.enabled()) {
            cleanUp(Instant.now(clock));
        }
    }

    /** Deletes what is older than its retention at {@code now}; returns the rows deleted per table. */
    Map<String, Integer> cleanUp(Instant now) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Rule rule : rules) {
            if (rule.kept().isZero()) {
                continue;
            }
            try {
                int count = delete(rule, now.minus(rule.kept()));
                if (count > 0) {
                    counts.put(rule.table(), count);
                    deleted.get(rule.table()).increment(count);
                }
            } catch (DataAccessException e) {
                // The next run tries again; the other tables are not held up.
                log.warn("Retention could not delete old rows of {}: {}", rule.table(), e.getMessage());
            }
        }
        if (!counts.isEmpty()) {
            log.info("Retention deleted {} rows older than their retention: {}",
                counts.values().stream().mapToInt(Integer::intValue).sum(), counts);
        }
        return counts;
    }

    /** H2, MySQL and MariaDB all accept DELETE ... LIMIT; each statement commits on its own. */
    private int delete(Rule rule, Instant cutoff) {
        String sql = "DELETE FROM " + rule.table() + " WHERE " + rule.where() + " LIMIT " + settings.batchSize();
        Object parameter = rule.cutoff().apply(cutoff);
        int total = 0;
        int count;
        do {
            count = jdbc.sql(sql).param(parameter).update();
            total += count;
        } while (count >= settings.batchSize());
        return total;
    }
}
