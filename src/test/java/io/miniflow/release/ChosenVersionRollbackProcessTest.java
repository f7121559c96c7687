package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * wechat-mp-rollback started for a chosen version (the mini program's page): the real delegate and release steps on
 * an in-memory platform. Reverted once; a retry after the revert went through reverts nothing; a version gone from
 * the history becomes an incident; without a chosen version the previous one is restored as before.
 */
class ChosenVersionRollbackProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final String APP = "wxchosen1";

    private ProcessTestEngine engine;
    private final HistoryPlatform platform = new HistoryPlatform();

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/wechat-mp-rollback.bpmn")
            .bean("releaseTimings", new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H",
                "R2/PT1M"))
            .bean("releaseProgress", new WechatMpRollbackProcessTest.Progress())
            .bean("rollBackRelease", new RollBackRelease(new MiniProgramRelease(platform)));
        ClockUtil.setCurrentTime(Date.from(NOW));
        platform.app(APP).released = "1.2.0";
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldRevertToTheChosenVersionOnce() {
        // Given
        ProcessInstance rollback = start(1);

        // When
        execute(job(rollback));

        // Then
        assertThat(rollback).isEnded().hasPassed("EndEvent_RolledBack");
        assertThat(platform.app(APP).released).isEqualTo("1.0.0");
        assertThat(platform.reverted).containsExactly(1);
        assertThat(variable(rollback, "rollbackTarget")).isEqualTo("REVERTED_TO_CHOSEN");
        assertThat(variable(rollback, "rollbackRequestedBy")).isEqualTo("mpadmin");
    }

    @Test
    void shouldNotRevertAgainWhenTheRetryFindsTheChosenVersionOnline() {
        // Given: the revert goes through, then the step fails before it completes (the answer lost on the way)
        platform.failAfterRevert = true;
        ProcessInstance rollback = start(2);
        engine.failOnce(rollback, "Task_RollBackRelease");
        assertThat(platform.app(APP).released).isEqualTo("1.1.0");

        // When
        platform.failAfterRevert = false;
        engine.retryNow(rollback, "Task_RollBackRelease");

        // Then
        assertThat(rollback).isEnded().hasPassed("EndEvent_RolledBack");
        assertThat(platform.reverted).containsExactly(2);
        assertThat(variable(rollback, "rollbackTarget")).isEqualTo("ONLINE_AT_CHOSEN");
    }

    @Test
    void shouldRaiseAnIncidentWhenTheChosenVersionLeftTheHistory() {
        // Given
        ProcessInstance rollback = start(9);

        // When
        engine.failOnce(rollback, "Task_RollBackRelease");
        engine.failOnce(rollback, "Task_RollBackRelease");

        // Then
        assertThat(engine.incident(rollback).getIncidentMessage()).contains("app_version 9")
            .contains("no longer in the platform's history");
        assertThat(platform.reverted).isEmpty();
        assertThat(platform.app(APP).released).isEqualTo("1.2.0");
    }

    @Test
    void shouldRestoreThePreviousVersionWithoutAChoice() {
        // Given
        platform.app(APP).previousReleased = "1.1.0";
        ProcessInstance rollback = start(null);

        // When
        execute(job(rollback));

        // Then
        assertThat(rollback).isEnded();
        assertThat(platform.reverted).isEmpty();
        assertThat(platform.app(APP).reverts).isEqualTo(1);
        assertThat(variable(rollback, "rollbackTarget")).isEqualTo("REVERTED_TO_PREVIOUS");
    }

    private ProcessInstance start(Integer appVersion) {
        Map<String, Object> vars = new HashMap<>();
        vars.put(ReleaseVariables.APP_ID.name(), APP);
        vars.put(ReleaseVariables.USER_VERSION.name(), "1.2.0");
        vars.put(ReleaseVariables.ROLLBACK_REQUESTED_BY.name(), "mpadmin");
        if (appVersion != null) {
            vars.put(ReleaseVariables.ROLLBACK_APP_VERSION.name(), appVersion);
        }
        return runtimeService().startProcessInstanceByKey(BatchVariables.ROLLBACK_PROCESS_KEY, APP, vars);
    }

    private Object variable(ProcessInstance instance, String name) {
        return engine.engine().getHistoryService().createHistoricVariableInstanceQuery()
            .processInstanceId(instance.getId()).variableName(name).singleResult().getValue();
    }

    /** The in-memory platform with a history of three versions, counting reverts to a chosen one. */
    static class HistoryPlatform extends FakeMiniProgramPlatform {

        final List<Integer> reverted = new java.util.ArrayList<>();
        boolean failAfterRevert;

        @Override
        public List<ReleasedVersion> releasedVersions(String appId) {
            return List.of(new ReleasedVersion(3, "1.2.0", "third", 3), new ReleasedVersion(2, "1.1.0", "second", 2),
                new ReleasedVersion(1, "1.0.0", "first", 1));
        }

        @Override
        public void revertCodeRelease(String appId, int appVersion) {
            reverted.add(appVersion);
            app(appId).released = releasedVersions(appId).stream().filter(v -> v.appVersion() == appVersion)
                .findFirst().orElseThrow().userVersion();
            if (failAfterRevert) {
                throw new IllegalStateException("-1 system error (after the revert went through)");
            }
        }
    }
}
