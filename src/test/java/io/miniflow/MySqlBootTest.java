package io.miniflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Miniflow boots on MySQL/MariaDB with the mysql profile: Flyway migrations, Camunda's schema, the demo data, the
 * API, and the job executor running an asynchronous step (which needs READ COMMITTED).
 */
@MySqlIntegrationTest
class MySqlBootTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;

    @Test
    void bootsWithMigrationsAndDemoData() throws Exception {
        assertThat(jdbc.sql("SELECT DATABASE()").query(String.class).single()).isNotBlank();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1").query(Long.class).single())
            .isPositive();
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/api/workspaces/Demo").with(httpBasic("reviewer", "reviewer"))).andExpect(status().isOk());
    }

    @Test
    void workspacesAreStoredInMySql() throws Exception {
        String name = "My" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("""
                    {"name":"%s","businessScope":"5734","address":"1 Road","representativeName":"Rep",
                     "representativeEmail":"reviewer2@demo.miniflow.local"}""".formatted(name)))
            .andExpect(status().isCreated());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_workspace WHERE name = ?").param(name).query(Long.class).single())
            .isEqualTo(1);
    }

    @Test
    void jobAcquisitionHasItsDueDateIndex() {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM information_schema.statistics WHERE table_schema = DATABASE()"
                + " AND table_name = 'ACT_RU_JOB' AND index_name = 'MF_IDX_JOB_DUEDATE' AND column_name = 'DUEDATE_'")
            .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theJobExecutorRunsAsynchronousStepsOnMySql() {
        String key = "mysql-async-check";
        repositoryService.createDeployment().addModelInstance(key + ".bpmn",
            Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
                .startEvent("StartEvent_Begin")
                .serviceTask("Task_Compute").camundaAsyncBefore().camundaExpression("${1 + 1}")
                .camundaResultVariable("sum")
                .endEvent("EndEvent_Done").done()).deploy();
        String id = runtimeService.startProcessInstanceByKey(key, Map.of("workspace", "Demo")).getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> historyService.createHistoricProcessInstanceQuery()
            .processInstanceId(id).finished().count() == 1);
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(id).variableName("sum")
            .singleResult().getValue()).isEqualTo(2L);
    }
}
