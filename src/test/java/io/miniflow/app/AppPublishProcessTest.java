package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.execute;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.job;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.miniflow.ProcessTestEngine;
import io.miniflow.approval.ApprovalVariables;

/**
 * Every path of app-publish on an in-memory engine: without approval, approved, not approved (rejected, withdrawn,
 * expired), a deploy that keeps failing until an incident, and a publish cancelled in Cockpit. The delegates are
 * test doubles and review-approval is a stand-in that hands back the outcome the test chose (review-approval's own
 * paths: ReviewApprovalProcessTest).
 */
class AppPublishProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final long VERSION_ROW = 11L;
    private static final long ENVIRONMENT_ROW = 3L;

    private ProcessTestEngine engine;
    private boolean requiresApproval;
    private String reviewOutcome = "APPROVED";
    private String reviewReason;
    private Map<String, Object> reviewGot;
    private boolean deployFails;
    private int deploys;
    private int switches;
    private final List<String> returnedToPending = new ArrayList<>();
    private final List<String> ends = new ArrayList<>();

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/app-publish.bpmn")
            .bean("publishTimings", new PublishTimings("R2/PT30S"))
            .bean("validatePublish", validatePublish())
            .bean("deployVersion", deployVersion())
            .bean("switchOnlineVersion", (JavaDelegate) execution -> switches++)
            .bean("returnToPending", (JavaDelegate) execution -> returnedToPending.add(
                execution.getVariable(APPROVAL_OUTCOME) + " - " + execution.getVariable(APPROVAL_REASON)))
            .bean("publishEnded", (ExecutionListener) execution ->
                ends.add(execution.isCanceled() ? "cancelled" : "ended"));
        engine.deployStub(ApprovalVariables.PROCESS_KEY, execution -> {
            reviewGot = new HashMap<>(execution.getVariables());
            execution.setVariable(ApprovalVariables.APPROVAL_ID, 42L);
            execution.setVariable(ApprovalVariables.OUTCOME, reviewOutcome);
            execution.setVariable(ApprovalVariables.OUTCOME_REASON, reviewReason);
        });
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldPublishWithoutReviewWhenTheEnvironmentNeedsNoApproval() {
        // Given
        requiresApproval = false;
        ProcessInstance publish = start();
        assertThat(publish).isWaitingAt("Task_Deploy");

        // When
        execute(job(publish));

        // Then
        assertThat(publish).isEnded()
            .hasPassedInOrder("Task_ValidateRequest", "Task_Deploy", "Task_SwitchOnline", "EndEvent_Published")
            .hasNotPassed("CallActivity_Review", "Task_ReturnToPending");
        assertThat(reviewGot).as("no review").isNull();
        assertThat(deploys).isEqualTo(1);
        assertThat(switches).isEqualTo(1);
        assertThat(ends).containsExactly("ended");
    }

    @Test
    void shouldPublishAfterTheReviewApproves() {
        // Given
        requiresApproval = true;
        reviewOutcome = "APPROVED";

        // When
        ProcessInstance publish = start();
        execute(job(publish));

        // Then
        assertThat(publish).isEnded()
            .hasPassedInOrder("Task_ValidateRequest", "CallActivity_Review", "Gateway_Approved", "Task_Deploy",
                "Task_SwitchOnline", "EndEvent_Published")
            .hasNotPassed("Task_ReturnToPending");
        assertThat(historicVariable(publish, APPROVAL_ID)).as("the approval the deploy checks").isEqualTo(42L);
        assertThat(deploys).isEqualTo(1);
        assertThat(ends).containsExactly("ended");
    }

    @Test
    void shouldAskTheReviewForThisPublishOnBehalfOfThePublisher() {
        // Given
        requiresApproval = true;

        // When
        start();

        // Then
        assertThat(reviewGot).containsEntry(ApprovalVariables.WORKSPACE, "Demo")
            .containsEntry(ApprovalVariables.CATEGORY, "PUBLISH")
            .containsEntry(ApprovalVariables.TITLE, "Publish shop 1.2.0 to prod")
            .containsEntry(ApprovalVariables.OBJECT_NAME, "shop")
            .containsEntry(ApprovalVariables.OBJECT_VERSION, "1.2.0")
            .containsEntry(ApprovalVariables.ENVIRONMENT, "prod")
            .containsEntry(ApprovalVariables.APPLICANT, "developer")
            .containsEntry(ApprovalVariables.REQUIRED_APPROVALS, 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"REJECTED", "WITHDRAWN", "EXPIRED"})
    void shouldReturnTheVersionToPendingWhenTheReviewDoesNotApprove(String outcome) {
        // Given
        requiresApproval = true;
        reviewOutcome = outcome;
        reviewReason = "why: " + outcome;

        // When
        ProcessInstance publish = start();

        // Then
        assertThat(publish).isEnded().hasPassed("CallActivity_Review", "Task_ReturnToPending", "EndEvent_NotApproved")
            .hasNotPassed("Task_Deploy", "Task_SwitchOnline", "EndEvent_Published");
        assertThat(returnedToPending).containsExactly(outcome + " - why: " + outcome);
        assertThat(deploys).isZero();
        assertThat(ends).containsExactly("ended");
    }

    @Test
    void shouldRetryAFailedDeployAndRaiseAnIncidentWhenTheRetriesRunOut() {
        // Given
        requiresApproval = false;
        deployFails = true;
        ProcessInstance publish = start();

        // When: the first attempt fails
        engine.failOnce(publish, "Task_Deploy");

        // Then: retried after the configured wait, no incident yet
        assertThat(engine.step(publish, "Task_Deploy")).hasRetries(1).hasDueDate(Date.from(NOW.plusSeconds(30)));
        assertThat(runtimeService().createIncidentQuery().count()).isZero();

        // When: the last attempt fails too
        engine.failOnce(publish, "Task_Deploy");

        // Then
        assertThat(engine.incident(publish).getActivityId()).isEqualTo("Task_Deploy");
        assertThat(publish).isNotEnded().isWaitingAt("Task_Deploy").hasNotPassed("Task_SwitchOnline");
        assertThat(deploys).isEqualTo(2);
        assertThat(switches).isZero();
        assertThat(ends).as("the environment stays reserved for the operator").isEmpty();
    }

    @Test
    void shouldPublishWhenAnOperatorRetriesAfterTheIncident() {
        // Given
        requiresApproval = false;
        deployFails = true;
        ProcessInstance publish = start();
        engine.failOnce(publish, "Task_Deploy");
        engine.failOnce(publish, "Task_Deploy");
        engine.incident(publish);

        // When
        deployFails = false;
        engine.retryNow(publish, "Task_Deploy");

        // Then
        assertThat(publish).isEnded().hasPassed("EndEvent_Published");
        assertThat(runtimeService().createIncidentQuery().count()).isZero();
        assertThat(switches).isEqualTo(1);
        assertThat(ends).containsExactly("ended");
    }

    @Test
    void shouldFreeTheEnvironmentWhenAnOperatorCancelsThePublish() {
        // Given: a deploy that ended in an incident
        requiresApproval = false;
        deployFails = true;
        ProcessInstance publish = start();
        engine.failOnce(publish, "Task_Deploy");
        engine.failOnce(publish, "Task_Deploy");

        // When
        runtimeService().deleteProcessInstance(publish.getId(), "cancelled in Cockpit");

        // Then
        assertThat(publish).isEnded().hasNotPassed("Task_SwitchOnline");
        assertThat(ends).containsExactly("cancelled");
    }

    private ProcessInstance start() {
        Map<String, Object> vars = new HashMap<>();
        vars.put(APP_CODE, "shop");
        vars.put(ENV_CODE, "prod");
        vars.put(VERSION, "1.2.0");
        engine.engine().getIdentityService().setAuthenticatedUserId("developer");
        try {
            return engine.engine().getRuntimeService().startProcessInstanceByKey(PROCESS_KEY, vars);
        } finally {
            engine.engine().getIdentityService().clearAuthentication();
        }
    }

    private Object historicVariable(ProcessInstance publish, String name) {
        return engine.engine().getHistoryService().createHistoricVariableInstanceQuery()
            .processInstanceId(publish.getId()).variableName(name).singleResult().getValue();
    }

    /** Validation as far as the model sees it: the version and environment reserved, whether it needs approval. */
    private JavaDelegate validatePublish() {
        return execution -> {
            execution.setVariable(WORKSPACE, "Demo");
            execution.setVariable(VERSION_ID, VERSION_ROW);
            execution.setVariable(ENVIRONMENT_ID, ENVIRONMENT_ROW);
            execution.setVariable(REQUIRES_APPROVAL, requiresApproval);
            execution.setVariable(REQUIRED_APPROVALS, 2);
            execution.setVariable(APPROVAL_TITLE, "Publish shop 1.2.0 to prod");
        };
    }

    private JavaDelegate deployVersion() {
        return execution -> {
            deploys++;
            if (deployFails) {
                throw new IllegalStateException("deploy target unreachable");
            }
            execution.setVariable(ACCESS_URL, "https://prod.shop.example/");
        };
    }
}
