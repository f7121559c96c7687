package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.miniflow.MiniflowIntegrationTest;

/** In process expressions Miniflow's beans come before process variables; any other name is still a variable. */
@MiniflowIntegrationTest
class MiniflowBeansFirstTest {

    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;

    @Test
    void aVariableNamedLikeAMiniflowBeanDoesNotReplaceTheBean() {
        BpmnModelInstance model = Bpmn.createExecutableProcess("beans-first-check").camundaHistoryTimeToLive(1)
            .startEvent()
            .serviceTask().camundaExpression(
                "${execution.setVariable('grayPause', releaseTimings.grayStepPause())}")
            .serviceTask().camundaExpression("${execution.setVariable('workspaceSeen', workspace)}")
            .endEvent().done();
        String definition = repositoryService.createDeployment().addModelInstance("beans-first-check.bpmn", model)
            .deployWithResult().getDeployedProcessDefinitions().get(0).getId();

        String instance = runtimeService.startProcessInstanceById(definition,
            Map.of("releaseTimings", "a variable that must not stand in for the bean", "workspace", "Demo")).getId();

        assertThat(variable(instance, "grayPause")).isEqualTo("PT30S");
        assertThat(variable(instance, "workspaceSeen")).isEqualTo("Demo");
    }

    private Object variable(String instance, String name) {
        HistoricVariableInstance v = historyService.createHistoricVariableInstanceQuery().processInstanceId(instance)
            .variableName(name).singleResult();
        return v == null ? null : v.getValue();
    }
}
