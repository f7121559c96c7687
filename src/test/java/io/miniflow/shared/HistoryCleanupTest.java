package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.miniflow.MiniflowIntegrationTest;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine's history cleanup is configured (application.yml, camunda.bpm.generic-properties) and removes the
 * history of a finished instance once its time to live has passed, while a running instance stays. The probe's time
 * to live is 0 days, so its removal time (its end) has passed as soon as it ended: no clock needs moving.
 */
@MiniflowIntegrationTest
class HistoryCleanupTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;

    @Test
    void theCleanupRunsNightlyByRemovalTimeInOneJob() {
        ProcessEngineConfigurationImpl config = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

        assertThat(config.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00");
        assertThat(config.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:00");
        assertThat(config.getHistoryCleanupBatchSize()).isEqualTo(500);
        assertThat(config.getHistoryCleanupDegreeOfParallelism()).isEqualTo(1);
        assertThat(config.getHistoryCleanupStrategy()).isEqualTo("removalTimeBased");
        assertThat(config.getHistoryRemovalTimeStrategy()).isEqualTo("end");
        assertThat(config.getBatchOperationHistoryTimeToLive()).isEqualTo("P30D");
        assertThat(config.getTaskMetricsTimeToLive()).isEqualTo("P180D");
        assertThat(config.isHistoryCleanupEnabled()).isTrue();
        assertThat(config.isEnforceHistoryTimeToLive()).isTrue();
        // A window is configured, so the engine keeps its cleanup job scheduled.
        assertThat(historyService.findHistoryCleanupJobs()).isNotEmpty();
    }

    @Test
    void aFinishedInstancePastItsTimeToLiveIsRemovedARunningOneStays() {
        String deployment = repositoryService.createDeployment()
            .addModelInstance("history-cleanup-finished.bpmn", Bpmn.createExecutableProcess("historyCleanupFinished")
                .camundaHistoryTimeToLive(0).startEvent().endEvent().done())
            .addModelInstance("history-cleanup-running.bpmn", Bpmn.createExecutableProcess("historyCleanupRunning")
                .camundaHistoryTimeToLive(0).startEvent().receiveTask("Wait_Forever").endEvent().done())
            .deploy().getId();
        try {
            String finished = runtimeService.startProcessInstanceByKey("historyCleanupFinished").getId();
            String running = runtimeService.startProcessInstanceByKey("historyCleanupRunning").getId();
            assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(finished).singleResult()
                .getRemovalTime()).isNotNull();

            historyService.cleanUpHistoryAsync(true);

            // The job executor runs the cleanup job (due now).
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                historyService.createHistoricProcessInstanceQuery().processInstanceId(finished).count() == 0);
            assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(finished).count())
                .isZero();
            assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(running).count()).isOne();
            assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(running).count())
                .isOne();
            assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(running).count())
                .isPositive();
        } finally {
            repositoryService.deleteDeployment(deployment, true);
        }
    }
}
