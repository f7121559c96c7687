package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of wechat-mp-rollback on an in-memory engine: rolled back, a rollback that keeps failing until an
 * incident (and an operator's retry), and a cancelled one. The delegate and the progress listener are test doubles.
 */
class WechatMpRollbackProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final String APP = "wxa1";

    private ProcessTestEngine engine;
    private final Progress progress = new Progress();
    private boolean rollbackFails;
    private int rollbacks;

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/wechat-mp-rollback.bpmn")
            .bean("releaseTimings", new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H", "R2/PT1M"))
            .bean("releaseProgress", progress)
            .bean("rollBackRelease", rollBackRelease());
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldRollBackTheReleaseAndRecordTheProgress() {
        // Given
        ProcessInstance rollback = start();
        assertThat(rollback).isWaitingAt("Task_RollBackRelease");
        assertThat(progress.calls).containsExactly("started " + APP);

        // When
        execute(job(rollback));

        // Then
        assertThat(rollback).isEnded().hasPassedInOrder("Task_RollBackRelease", "EndEvent_RolledBack");
        assertThat(engine.engine().getHistoryService().createHistoricVariableInstanceQuery()
            .processInstanceId(rollback.getId()).variableName(ReleaseVariables.ROLLBACK_TARGET.name()).singleResult()
            .getValue()).isEqualTo("REVERTED");
        assertThat(progress.calls).containsExactly("started " + APP, "ended " + APP);
    }

    @Test
    void shouldRetryAndRaiseAnIncidentWhenTheRollbackKeepsFailing() {
        // Given
        rollbackFails = true;
        ProcessInstance rollback = start();

        // When: the first attempt fails
        engine.failOnce(rollback, "Task_RollBackRelease");

        // Then: retried after the release timings' wait
        assertThat(engine.step(rollback, "Task_RollBackRelease")).hasRetries(1)
            .hasDueDate(Date.from(NOW.plusSeconds(60)));
        assertThat(runtimeService().createIncidentQuery().count()).isZero();

        // When: the last attempt fails too
        engine.failOnce(rollback, "Task_RollBackRelease");

        // Then
        assertThat(engine.incident(rollback).getActivityId()).isEqualTo("Task_RollBackRelease");
        assertThat(rollback).isNotEnded().hasNotPassed("EndEvent_RolledBack");
        assertThat(rollbacks).isEqualTo(2);
        assertThat(progress.calls).containsExactly("started " + APP);
    }

    @Test
    void shouldRollBackWhenAnOperatorRetriesAfterTheIncident() {
        // Given
        rollbackFails = true;
        ProcessInstance rollback = start();
        engine.failOnce(rollback, "Task_RollBackRelease");
        engine.failOnce(rollback, "Task_RollBackRelease");
        engine.incident(rollback);

        // When
        rollbackFails = false;
        engine.retryNow(rollback, "Task_RollBackRelease");

        // Then
        assertThat(rollback).isEnded().hasPassed("EndEvent_RolledBack");
        assertThat(progress.calls).containsExactly("started " + APP, "ended " + APP);
    }

    @Test
    void shouldTellTheProgressWhenTheRollbackIsCancelled() {
        // Given
        ProcessInstance rollback = start();

        // When
        runtimeService().deleteProcessInstance(rollback.getId(), "cancelled in Cockpit");

        // Then
        assertThat(rollback).isEnded().hasNotPassed("EndEvent_RolledBack");
        assertThat(rollbacks).isZero();
        assertThat(progress.calls).containsExactly("started " + APP, "cancelled " + APP);
    }

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(BatchVariables.ROLLBACK_PROCESS_KEY, APP, Map.of(
            ReleaseVariables.WORKSPACE.name(), "Demo", ReleaseVariables.APP_ID.name(), APP,
            ReleaseVariables.USER_VERSION.name(), "1.0.3", BatchVariables.BATCH_ID.name(), 7L, BatchVariables.ITEM_ID.name(), 101L));
    }

    private JavaDelegate rollBackRelease() {
        return execution -> {
            rollbacks++;
            if (rollbackFails) {
                throw new IllegalStateException("-1 system busy");
            }
            execution.setVariable(ReleaseVariables.ROLLBACK_TARGET.name(), "REVERTED");
        };
    }

    /** Records the process start and end the model reports. Public: the expression language calls it. */
    public static class Progress {

        final List<String> calls = new ArrayList<>();

        public void processStarted(DelegateExecution execution) {
            calls.add("started " + execution.getVariable(ReleaseVariables.APP_ID.name()));
        }

        public void processEnded(DelegateExecution execution) {
            String appId = (String) execution.getVariable(ReleaseVariables.APP_ID.name());
            calls.add((execution.isCanceled() ? "cancelled " : "ended ") + appId);
        }
    }
}
