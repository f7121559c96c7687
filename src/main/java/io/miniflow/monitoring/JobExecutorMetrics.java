package io.miniflow.monitoring;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.metrics.Meter;
import org.camunda.bpm.engine.impl.metrics.MetricsRegistry;
import org.camunda.bpm.engine.management.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This node's job executor as counters ({@code miniflow.jobexecutor.jobs{event=...}}): acquired, acquisition_failed,
 * executed, failed, rejected. The engine counts them in memory and writes the counts to ACT_RU_METER_LOG every
 * reporting interval (15 min by default), so a value is what this node has written there (one query every
 * {@code miniflow.metrics.refresh}) plus what it still holds in memory. A counter never goes down between two
 * readings, even while the engine is moving a count from memory to the table.
 */
@Component
@ConditionalOnProperty(prefix = "camunda.bpm", name = "enabled", matchIfMissing = true)
class JobExecutorMetrics {

    private static final Logger log = LoggerFactory.getLogger(JobExecutorMetrics.class);

    /** Camunda's metric → the event tag. */
    static final Map<String, String> EVENTS = events();

    private final JdbcClient jdbc;
    private final ObjectProvider<ProcessEngine> engine;
    private final Map<String, Long> values = new ConcurrentHashMap<>();
    private final MeterRegistry registry;
    private volatile boolean failing;

    JobExecutorMetrics(JdbcClient jdbc, ObjectProvider<ProcessEngine> engine, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.engine = engine;
        this.registry = registry;
        EVENTS.forEach((metric, event) -> {
            values.put(metric, 0L);
            FunctionCounter.builder("miniflow.jobexecutor.jobs", values, v -> v.getOrDefault(metric, 0L))
                .description("Jobs of this node's job executor (Camunda's job metrics)")
                .tag("event", event).register(registry);
        });
    }

    private static Map<String, String> events() {
        Map<String, String> events = new LinkedHashMap<>();
        events.put(Metrics.JOB_ACQUIRED_SUCCESS, "acquired");
        events.put(Metrics.JOB_ACQUIRED_FAILURE, "acquisition_failed");
        events.put(Metrics.JOB_SUCCESSFUL, "executed");
        events.put(Metrics.JOB_FAILED, "failed");
        events.put(Metrics.JOB_EXECUTION_REJECTED, "rejected");
        return events;
    }

    @Scheduled(fixedDelayString = "${miniflow.metrics.refresh:PT15S}", initialDelayString = "PT1S")
    void refresh() {
        ProcessEngine processEngine = engine.getIfAvailable();
        if (processEngine == null) {
            return;
        }
        try {
            ProcessEngineConfigurationImpl config =
                (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
            Map<String, Long> counted = new LinkedHashMap<>();
            EVENTS.keySet().forEach(metric -> counted.put(metric, inMemory(config.getMetricsRegistry(), metric)));
            String reporter = config.getDbMetricsReporter() == null ? null
                : config.getDbMetricsReporter().getMetricsCollectionTask().getReporter();
            jdbc.sql("SELECT NAME_, SUM(VALUE_) FROM ACT_RU_METER_LOG WHERE NAME_ IN (:names)"
                    + (reporter == null ? " AND REPORTER_ IS NULL" : " AND REPORTER_ = :reporter") + " GROUP BY NAME_")
                .param("names", EVENTS.keySet())
                .param("reporter", reporter)
                .query(rs -> {
                    counted.merge(rs.getString(1), rs.getLong(2), Long::sum);
                });
            counted.forEach((metric, value) -> values.merge(metric, value, Math::max));
            failing = false;
        } catch (RuntimeException e) {
            failing = true;
            registry.counter("miniflow.metrics.collector.failures", "family", "job executor").increment();
            log.debug("job executor metrics not refreshed: {}", e.toString());
        }
    }

    boolean failing() {
        return failing;
    }

    long value(String metric) {
        return values.getOrDefault(metric, 0L);
    }

    private static long inMemory(MetricsRegistry registry, String metric) {
        Meter meter = registry == null ? null : registry.getDbMeterByName(metric);
        return meter == null ? 0 : meter.get();
    }
}
