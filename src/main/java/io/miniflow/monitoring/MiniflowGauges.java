package io.miniflow.monitoring;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.miniflow.approval.ApprovalStatus;
import io.miniflow.cloudapp.BuildStatus;
import io.miniflow.cloudapp.deploy.DeployStatus;
import io.miniflow.release.BatchStatus;
import io.miniflow.release.ItemStage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The gauges of Miniflow's work in progress, read from the database by one query per family every
 * {@code miniflow.metrics.refresh} (PT15S) and served from memory, so a scrape never queries. A family whose query
 * fails (a table not there yet) keeps its last values and is tried again next time. Every value is the whole
 * installation's (all nodes see the same database).
 */
@Component
@ConditionalOnProperty(prefix = "camunda.bpm", name = "enabled", matchIfMissing = true)
class MiniflowGauges {

    private static final Logger log = LoggerFactory.getLogger(MiniflowGauges.class);
    private static final List<String> ACTIVE_BATCHES = Arrays.stream(BatchStatus.values())
        .filter(BatchStatus::isActive).map(Enum::name).toList();

    private final JdbcClient jdbc;
    private final MeterRegistry registry;
    /** The families whose last refresh failed (their gauges show older values). */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    private final MultiGauge releaseItems;
    private final MultiGauge batchItems;
    private final MultiGauge incidents;
    private final MultiGauge builds;
    private final MultiGauge deploys;
    private final AtomicLong auditsWaiting = new AtomicLong();
    /** The audit quota left as the last batch's quota check saw it; NaN before any. */
    private final AtomicReference<Double> auditQuota = new AtomicReference<>(Double.NaN);
    private final AtomicLong approvalsWaiting = new AtomicLong();
    /** created_at of the oldest approval still waiting; null when none waits. */
    private final AtomicReference<Instant> oldestApproval = new AtomicReference<>();

    MiniflowGauges(JdbcClient jdbc, MeterRegistry registry, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        releaseItems = MultiGauge.builder("miniflow.release.items")
            .description("Mini programs of WeChat release batches by stage").register(registry);
        batchItems = MultiGauge.builder("miniflow.release.batch.items")
            .description("Mini programs of the release batches still running, by batch and stage").register(registry);
        incidents = MultiGauge.builder("miniflow.incidents.open")
            .description("Open incidents by process definition key and activity").register(registry);
        builds = MultiGauge.builder("miniflow.cloud.builds").description("Environment builds by status")
            .register(registry);
        deploys = MultiGauge.builder("miniflow.cloud.deploys").description("Deploys by status").register(registry);
        Gauge.builder("miniflow.release.audits.waiting", auditsWaiting, AtomicLong::get)
            .description("Mini programs whose audit is under way at WeChat").register(registry);
        Gauge.builder("miniflow.release.audit.quota.remaining", auditQuota, AtomicReference::get)
            .description("Audits left this month, as the last release batch's quota check saw it").register(registry);
        Gauge.builder("miniflow.approvals.waiting", approvalsWaiting, AtomicLong::get)
            .description("Approvals waiting for a decision").register(registry);
        TimeGauge.builder("miniflow.approvals.oldest.age", oldestApproval, java.util.concurrent.TimeUnit.SECONDS,
                oldest -> oldest.get() == null ? 0 : Math.max(0, Duration.between(oldest.get(), clock.instant())
                    .toSeconds()))
            .description("How long the oldest waiting approval has waited").register(registry);
    }

    @Scheduled(fixedDelayString = "${miniflow.metrics.refresh:PT15S}", initialDelayString = "PT1S")
    void refresh() {
        family("release items", this::refreshReleaseItems);
        family("release batch items", this::refreshBatchItems);
        family("audit quota", this::refreshAuditQuota);
        family("incidents", this::refreshIncidents);
        family("approvals", this::refreshApprovals);
        family("builds", () -> byStatus(builds, "mf_cloud_build", names(BuildStatus.values())));
        family("deploys", () -> byStatus(deploys, "mf_cloud_deploy", names(DeployStatus.values())));
    }

    /** Refreshes one family; a failure is counted ({@code miniflow.metrics.collector.failures}) and logged. */
    private void family(String name, Runnable refresh) {
        try {
            refresh.run();
            failing.remove(name);
        } catch (RuntimeException e) {
            failing.add(name);
            registry.counter("miniflow.metrics.collector.failures", "family", name).increment();
            log.debug("metrics of {} not refreshed: {}", name, e.toString());
        }
    }

    Set<String> failing() {
        return Set.copyOf(failing);
    }

    private void refreshReleaseItems() {
        Map<String, Long> counts = zeros(names(ItemStage.values()));
        jdbc.sql("SELECT stage, COUNT(*) FROM mf_release_item GROUP BY stage")
            .query(rs -> {
                counts.put(rs.getString(1), rs.getLong(2));
            });
        releaseItems.register(counts.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("stage", e.getKey()), e.getValue())).toList(), true);
        auditsWaiting.set(counts.getOrDefault(ItemStage.AUDITING.name(), 0L));
    }

    private void refreshBatchItems() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        jdbc.sql("SELECT i.batch_id, i.stage, COUNT(*) FROM mf_release_item i JOIN mf_release_batch b"
                + " ON b.id = i.batch_id WHERE b.status IN (:active) GROUP BY i.batch_id, i.stage")
            .param("active", ACTIVE_BATCHES)
            .query(rs -> {
                rows.add(MultiGauge.Row.of(Tags.of("batch", Long.toString(rs.getLong(1)), "stage", rs.getString(2)),
                    rs.getLong(3)));
            });
        batchItems.register(rows, true);
    }

    /** quotaRemaining is the variable CheckAuditQuota sets on each batch: the newest one is the latest reading. */
    private void refreshAuditQuota() {
        jdbc.sql("SELECT LONG_ FROM ACT_HI_VARINST WHERE NAME_ = 'quotaRemaining' AND LONG_ IS NOT NULL"
                + " ORDER BY CREATE_TIME_ DESC LIMIT 1")
            .query(Long.class).optional().ifPresent(left -> auditQuota.set(left.doubleValue()));
    }

    private void refreshIncidents() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        jdbc.sql("SELECT d.KEY_, i.ACTIVITY_ID_, COUNT(*) FROM ACT_RU_INCIDENT i JOIN ACT_RE_PROCDEF d"
                + " ON d.ID_ = i.PROC_DEF_ID_ GROUP BY d.KEY_, i.ACTIVITY_ID_")
            .query(rs -> {
                rows.add(MultiGauge.Row.of(Tags.of("process", rs.getString(1), "activity",
                    rs.getString(2) == null ? "none" : rs.getString(2)), rs.getLong(3)));
            });
        incidents.register(rows, true);
    }

    private void refreshApprovals() {
        jdbc.sql("SELECT COUNT(*), MIN(created_at) FROM mf_approval WHERE status = ?")
            .param(ApprovalStatus.PENDING.name())
            .query(rs -> {
                approvalsWaiting.set(rs.getLong(1));
                Timestamp oldest = rs.getTimestamp(2);
                oldestApproval.set(oldest == null ? null : oldest.toInstant());
            });
    }

    private void byStatus(MultiGauge gauge, String table, List<String> known) {
        Map<String, Long> counts = zeros(known);
        jdbc.sql("SELECT status, COUNT(*) FROM " + table + " GROUP BY status")
            .query(rs -> {
                counts.put(rs.getString(1), rs.getLong(2));
            });
        gauge.register(counts.entrySet().stream()
            .map(e -> MultiGauge.Row.of(Tags.of("status", e.getKey()), e.getValue())).toList(), true);
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /** Every known value at 0, so a panel shows a line for it before the first one happens. */
    private static Map<String, Long> zeros(List<String> names) {
        Map<String, Long> counts = new LinkedHashMap<>();
        names.forEach(n -> counts.put(n, 0L));
        return counts;
    }
}
