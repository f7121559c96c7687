package io.miniflow.shared;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code miniflow.retention.*}: how long Miniflow keeps the rows of its own tables that grow with use, and how often
 * {@link Retention} deletes older ones (docs/operations.md, "What is kept, how long, and why"). A retention of zero
 * keeps that table's rows for good. The engine's history has its own time to live and cleanup (camunda.bpm).
 */
@ConfigurationProperties("miniflow.retention")
public record RetentionSettings(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("PT1H") Duration interval,
    @DefaultValue("PT5M") Duration initialDelay,
    @DefaultValue("1000") int batchSize,
    @DefaultValue("P365D") Duration auditLog,
    @DefaultValue("P90D") Duration notificationDeliveries,
    @DefaultValue("P30D") Duration wechatPushes,
    @DefaultValue("P365D") Duration paymentNotifications,
    @DefaultValue("P180D") Duration consoleNotifications,
    @DefaultValue("PT1H") Duration rateWindows) {

    public RetentionSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("miniflow.retention.batch-size must be at least 1, is " + batchSize);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("miniflow.retention.interval must be positive, is " + interval);
        }
        retentions(auditLog, notificationDeliveries, wechatPushes, paymentNotifications, consoleNotifications,
            rateWindows).forEach((name, kept) -> {
                if (kept.isNegative()) {
                    throw new IllegalArgumentException("miniflow.retention." + name + " must not be negative, is "
                        + kept);
                }
            });
    }

    private static Map<String, Duration> retentions(Duration auditLog, Duration notificationDeliveries,
                                                    Duration wechatPushes, Duration paymentNotifications,
                                                    Duration consoleNotifications, Duration rateWindows) {
        Map<String, Duration> retentions = new LinkedHashMap<>();
        retentions.put("audit-log", auditLog);
        retentions.put("notification-deliveries", notificationDeliveries);
        retentions.put("wechat-pushes", wechatPushes);
        retentions.put("payment-notifications", paymentNotifications);
        retentions.put("console-notifications", consoleNotifications);
        retentions.put("rate-windows", rateWindows);
        return retentions;
    }
}
