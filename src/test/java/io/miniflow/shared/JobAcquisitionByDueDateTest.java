package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.miniflow.MiniflowIntegrationTest;

import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The job executor acquires by due date through an index, and asynchronous steps carry a due date. */
@MiniflowIntegrationTest
class JobAcquisitionByDueDateTest {

    @Autowired
    ProcessEngine engine;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    ManagementService managementService;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theIndexExistsAndAcquisitionIsByDueDate() {
        ProcessEngineConfigurationImpl config = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        assertThat(config.isEnsureJobDueDateNotNull()).isTrue();
        assertThat(config.isJobExecutorAcquireByDueDate()).isTrue();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEX_COLUMNS WHERE TABLE_NAME = 'ACT_RU_JOB'"
                + " AND INDEX_NAME = 'MF_IDX_JOB_DUEDATE' AND COLUMN_NAME = 'DUEDATE_'")
            .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void anAsynchronousStepIsDueWhenItIsCreated() {
        String key = "due-date-check";
        repositoryService.createDeployment().addModelInstance(key + ".bpmn",
            Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Begin")
                .serviceTask("Task_Later").camundaAsyncBefore().camundaExpression("${1 + 1}")
                .endEvent("EndEvent_Done").done()).deploy();
        // Jobs of a suspended job definition are created suspended: the job executor leaves this one alone.
        managementService.suspendJobDefinitionByProcessDefinitionKey(key, true);
        String id = runtimeService.startProcessInstanceByKey(key, Map.of("workspace", "Demo")).getId();
        Job job = managementService.createJobQuery().processInstanceId(id).singleResult();
        assertThat(job.getDuedate()).isNotNull();
        runtimeService.deleteProcessInstance(id, "test done");
    }
}
