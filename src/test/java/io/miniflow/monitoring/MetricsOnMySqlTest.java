package io.miniflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;

import io.micrometer.core.instrument.MeterRegistry;

import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.management.Metrics;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The collectors' queries run on MySQL/MariaDB as on H2: no family fails, an incident is counted by process and
 * activity, the job counters move.
 */
@MySqlIntegrationTest
class MetricsOnMySqlTest {

    private static final String KEY = "mysql-metrics-check";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    @Autowired
    MiniflowGauges gauges;
    @Autowired
    JobExecutorMetrics jobs;
    @Autowired
    MeterRegistry registry;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;

    @Test
    void everyFamilyIsReadOnMySqlAndAFailingStepIsCountedAsAnIncident() {
        repositoryService.createDeployment().addModelInstance(KEY + ".bpmn",
            Bpmn.createExecutableProcess(KEY).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Begin")
                .serviceTask("Task_Compute").camundaAsyncBefore().camundaExpression("${1 + 1}")
                .serviceTask("Task_Fail").camundaAsyncBefore().camundaExpression("${noSuchBean.call()}")
                .endEvent("EndEvent_Done").done()).deploy();
        String id = runtimeService.startProcessInstanceByKey(KEY, Map.of("workspace", "Demo")).getId();
        await().atMost(Duration.ofSeconds(90)).until(() -> runtimeService.createIncidentQuery()
            .processInstanceId(id).count() == 1);

        gauges.refresh();

        assertThat(gauges.failing()).isEmpty();
        assertThat(registry.get("miniflow.incidents.open").tags("process", KEY, "activity", "Task_Fail").gauge()
            .value()).isEqualTo(1);
        jobs.refresh();
        assertThat(jobs.failing()).isFalse();
        assertThat(jobs.value(Metrics.JOB_SUCCESSFUL)).isPositive();
        assertThat(jobs.value(Metrics.JOB_FAILED)).isPositive();
        runtimeService.deleteProcessInstance(id, "test done");
    }
}
