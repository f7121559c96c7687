package io.miniflow.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.identity.Roles;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The console's task inbox and process page with a small test process: a reviewer of the demo workspace sees the
 * task, claims it, completes it through the Camunda Form; others do not see it; the process page draws it.
 */
@MiniflowIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskInboxTest {

    private static final String KEY = "console-inbox-check";

    @Autowired
    MockMvc mvc;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    TaskService taskService;
    @Autowired
    HistoryService historyService;

    @BeforeAll
    void deployTestProcess() {
        BpmnModelInstance model = Bpmn.createExecutableProcess(KEY).camundaHistoryTimeToLive(1)
            .startEvent("StartEvent_Begin")
            .userTask("Task_Decide").name("Decide about it")
                .camundaCandidateGroups(Roles.workspaceGroup("Demo", Roles.WORKSPACE_REVIEWER))
                .camundaFormRef("console-inbox-check-form").camundaFormRefBinding("latest")
            .endEvent("EndEvent_Done").name("Done")
            .done();
        String form = """
            {"id":"console-inbox-check-form","type":"default","schemaVersion":16,"components":[
              {"type":"text","text":"Decide carefully."},
              {"type":"radio","key":"decision","label":"Decision","validate":{"required":true},
               "values":[{"label":"Approve","value":"APPROVE"},{"label":"Reject","value":"REJECT"}]},
              {"type":"textarea","key":"comment","label":"Comment"},
              {"type":"number","key":"score","label":"Score"}]}
            """;
        repositoryService.createDeployment().name(KEY)
            .addModelInstance(KEY + ".bpmn", model)
            .addString(KEY + ".form", form)
            .deploy();
    }

    @Test
    void reviewerClaimsAndCompletesATaskWithItsForm() throws Exception {
        ProcessInstance instance = runtimeService.startProcessInstanceByKey(KEY, Map.of("workspace", "Demo"));
        assertThat(instance.getTenantId()).isEqualTo("Demo");
        Task task = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
        MockHttpSession reviewer = login("reviewer");

        mvc.perform(get("/tasks").session(reviewer))
            .andExpect(content().string(containsString("/tasks/" + task.getId())));
        mvc.perform(get("/tasks").session(login("developer")))
            .andExpect(content().string(not(containsString("/tasks/" + task.getId()))));
        mvc.perform(get("/tasks/" + task.getId()).session(login("developer"))).andExpect(status().isNotFound());

        mvc.perform(post("/tasks/" + task.getId() + "/claim").session(reviewer).with(csrf()))
            .andExpect(status().is3xxRedirection());
        assertThat(taskService.createTaskQuery().taskId(task.getId()).singleResult().getAssignee()).isEqualTo("reviewer");

        mvc.perform(get("/tasks/" + task.getId()).session(reviewer))
            .andExpect(content().string(containsString("Decide carefully.")))
            .andExpect(content().string(containsString("name=\"decision\"")));

        mvc.perform(post("/tasks/" + task.getId() + "/complete").session(reviewer).with(csrf()).param("comment", "x"))
            .andExpect(flash().attribute("error", containsString("decision")));
        assertThat(taskService.createTaskQuery().taskId(task.getId()).count()).isEqualTo(1);

        mvc.perform(post("/tasks/" + task.getId() + "/complete").session(reviewer).with(csrf())
                .param("decision", "APPROVE").param("comment", "fine").param("score", "7"))
            .andExpect(flash().attributeExists("message"));
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(instance.getId())
            .variableName("score").singleResult().getValue()).isEqualTo(7L);
        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(instance.getId())
            .singleResult().getState()).isEqualTo("COMPLETED");
        assertThat(historyService.createUserOperationLogQuery().taskId(task.getId()).operationType("Complete")
            .singleResult().getUserId()).isEqualTo("reviewer");
    }

    @Test
    void processPageDrawsTheDiagramAndHighlightsTheCurrentActivity() throws Exception {
        ProcessInstance instance = runtimeService.startProcessInstanceByKey(KEY, Map.of("workspace", "Demo"));
        MockHttpSession reviewer = login("reviewer");
        mvc.perform(get("/processes/" + instance.getId()).session(reviewer))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("data-active=\"Task_Decide\"")))
            .andExpect(content().string(containsString("bpmn-navigated-viewer.production.min.js")))
            // Started without a logged-in user (here by the test, in production by a call or a timer): not "null".
            .andExpect(content().string(containsString("Started by: Miniflow (started by another process or a timer)")));
        String xml = mvc.perform(get("/processes/" + instance.getId() + "/diagram.bpmn").session(reviewer))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(xml).contains("Task_Decide");
        mvc.perform(get("/webjars/bpmn-js/8.0.0/dist/bpmn-navigated-viewer.production.min.js"))
            .andExpect(status().isOk());
    }

    @Test
    void aFinishedProcessShowsThePathItTookInTheReadersLanguage() throws Exception {
        // Given: an instance decided and ended
        ProcessInstance instance = runtimeService.startProcessInstanceByKey(KEY, Map.of("workspace", "Demo"));
        String taskId = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();
        taskService.complete(taskId, Map.of("decision", "APPROVE"));
        MockHttpSession reviewer = login("reviewer");

        // When
        String page = mvc.perform(get("/processes/" + instance.getId()).session(reviewer)
                .header("Accept-Language", "zh-CN"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        String xml = mvc.perform(get("/processes/" + instance.getId() + "/diagram.bpmn").session(reviewer)
                .header("Accept-Language", "zh-CN"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        // Then: every activity it passed is marked (none is current), names in Chinese where translated
        String passed = page.substring(page.indexOf("data-passed=\"") + 13);
        assertThat(passed.substring(0, passed.indexOf('"')).split(","))
            .containsExactlyInAnyOrder("StartEvent_Begin", "Task_Decide", "EndEvent_Done");
        assertThat(page).doesNotContain("data-active").contains("<td>完成</td>");
        assertThat(xml).contains("name=\"完成\"").contains("name=\"Decide about it\"");
        // ... and the Cockpit plugin reads the same names
        assertThat(mvc.perform(get("/processes/activity-names").session(reviewer).header("Accept-Language", "zh-CN"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8))
            .contains("\"Done\":\"完成\"");
        assertThat(mvc.perform(get("/processes/activity-names").session(reviewer).header("Accept-Language", "en"))
            .andReturn().getResponse().getContentAsString()).isEqualTo("{}");
    }

    @Test
    void processesOfOtherWorkspacesAreHidden() throws Exception {
        ProcessInstance elsewhere = runtimeService.startProcessInstanceByKey(KEY, Map.of("workspace", "Elsewhere"));
        mvc.perform(get("/processes/" + elsewhere.getId()).session(login("reviewer"))).andExpect(status().isForbidden());
        mvc.perform(get("/processes/" + elsewhere.getId()).session(login("operator"))).andExpect(status().isOk());
    }

    private MockHttpSession login(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andReturn().getRequest().getSession();
    }
}
