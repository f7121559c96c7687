package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloud.CloudErrors;

/**
 * A job failing on a platform: its message is the translated one, a refusal raises its incident at once, a failure
 * in passing keeps the retry cycle. The steps are plain delegates throwing what the platform adapters throw.
 */
@MiniflowIntegrationTest
class JobFailuresTest {

    private static final String KEY = "job-failures-test";

    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    ManagementService managementService;

    /** The cloud refuses: an instance type it does not sell. */
    public static class Refused implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            throw CloudErrors.ALIYUN.translate("InvalidInstanceType.NotSupported", 400, "req-refused", "no such type");
        }
    }

    /** The cloud is unavailable for now. */
    public static class Unavailable implements JavaDelegate {
        @Override
        public void execute(DelegateExecution execution) {
            throw CloudErrors.ALIYUN.translate("ServiceUnavailable", 503, "req-busy", "try later");
        }
    }

    @BeforeEach
    void deploy() {
        repositoryService.createDeployment().name(KEY).enableDuplicateFiltering(true)
            .addModelInstance(KEY + ".bpmn", Bpmn.createExecutableProcess(KEY).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Begin")
                .exclusiveGateway("Gateway_Which")
                .condition("refused", "${which == 'refused'}")
                .serviceTask("Task_Refused").camundaAsyncBefore().camundaClass(Refused.class.getName())
                .camundaFailedJobRetryTimeCycle("R5/PT1H")
                .endEvent("EndEvent_Refused")
                .moveToNode("Gateway_Which")
                .condition("unavailable", "${which == 'unavailable'}")
                .serviceTask("Task_Unavailable").camundaAsyncBefore().camundaClass(Unavailable.class.getName())
                .camundaFailedJobRetryTimeCycle("R5/PT1H")
                .endEvent("EndEvent_Unavailable")
                .done())
            .deploy();
    }

    @Test
    void aRefusalRaisesItsIncidentAtOnceWithTheMessageInChineseAndEnglish() {
        String instance = runtimeService.startProcessInstanceByKey(KEY, Map.of("which", "refused")).getId();
        Incident incident = await().atMost(Duration.ofSeconds(30)).until(
            () -> runtimeService.createIncidentQuery().processInstanceId(instance).singleResult(), i -> i != null);
        assertThat(incident.getIncidentMessage())
            .contains("InvalidInstanceType.NotSupported")
            .contains("req-refused")
            .matches(m -> m.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                "has a Chinese text")
            .contains(" / ");
        Job job = managementService.createJobQuery().processInstanceId(instance).singleResult();
        assertThat(job.getRetries()).isZero();
        assertThat(managementService.getJobExceptionStacktrace(job.getId())).contains("PlatformException");
        runtimeService.deleteProcessInstance(instance, "test done");
    }

    @Test
    void aFailureInPassingKeepsTheRetryCycleAndIsTranslatedToo() {
        String instance = runtimeService.startProcessInstanceByKey(KEY, Map.of("which", "unavailable")).getId();
        Job job = await().atMost(Duration.ofSeconds(30)).until(
            () -> managementService.createJobQuery().processInstanceId(instance).singleResult(),
            j -> j != null && j.getExceptionMessage() != null);
        assertThat(job.getRetries()).as("one of the cycle's five retries used").isEqualTo(4);
        assertThat(job.getExceptionMessage()).contains("ServiceUnavailable").contains(" / ");
        assertThat(runtimeService.createIncidentQuery().processInstanceId(instance).count()).isZero();
        runtimeService.deleteProcessInstance(instance, "test done");
    }
}
