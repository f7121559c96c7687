package io.miniflow.approval;

import static io.miniflow.approval.ApprovalVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of review-approval on an in-memory engine: approved (one and two approvals), rejected, withdrawn,
 * expired, and the reminder that leaves the review open. The delegates and the decision listener are test doubles
 * that only drive the model (the real ones keep the application in Miniflow's tables, see ReviewApprovalTest).
 */
class ReviewApprovalProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final long REGISTERED_ID = 42L;

    private ProcessTestEngine engine;
    private final List<String> closedAs = new ArrayList<>();
    private final List<String> approvers = new ArrayList<>();
    private int reminders;

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/review-approval.bpmn")
            .bean("approvalTimings", new ApprovalTimings("PT4H", "P3D"))
            .bean("registerApplication", registerApplication())
            .bean("reviewDecisionListener", decisionListener())
            .bean("closeApplication", closeApplication())
            .bean("remindReviewers", (JavaDelegate) execution -> reminders++);
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldApproveWhenOneApprovalIsEnough() {
        // Given
        ProcessInstance review = apply(1);
        assertThat(review).isWaitingAt("Task_Review");
        assertThat(task(review)).hasCandidateGroup("Demo.workspace-admin").hasCandidateGroup("Demo.workspace-reviewer");

        // When
        decide(review, "reviewer", "APPROVE", "looks fine");

        // Then
        assertThat(review).isEnded()
            .hasPassedInOrder("Task_RegisterApplication", "Task_Review", "EndEvent_Approved", "Task_RecordDecision",
                "EndEvent_Decided")
            .hasNotPassed("Task_MarkExpired", "Task_MarkWithdrawn", "Task_RemindReviewers");
        assertThat(closedAs).containsExactly("APPROVED");
        assertThat(outcome(review)).isEqualTo("APPROVED");
    }

    @Test
    void shouldWaitForASecondReviewerWhenTwoApprovalsAreRequired() {
        // Given
        ProcessInstance review = apply(2);
        Task first = task(review);

        // When
        decide(review, "reviewer", "APPROVE", null);

        // Then
        assertThat(review).isWaitingAt("Task_Review").hasNotPassed("Task_RecordDecision");
        assertThat(task(review).getId()).as("a new review task for the next reviewer").isNotEqualTo(first.getId());
        assertThat(runtimeService().getVariables(review.getId())).as("the form's fields do not carry over")
            .doesNotContainKeys(DECISION, COMMENT);
        assertThat(closedAs).isEmpty();

        // When
        decide(review, "reviewer2", "APPROVE", null);

        // Then
        assertThat(review).isEnded().hasPassed("EndEvent_Approved", "EndEvent_Decided");
        assertThat(closedAs).containsExactly("APPROVED");
        assertThat(approvers).containsExactly("reviewer", "reviewer2");
    }

    @Test
    void shouldRejectWhenOneReviewerRejects() {
        // Given: one of two approvals is in
        ProcessInstance review = apply(2);
        decide(review, "reviewer", "APPROVE", null);

        // When
        decide(review, "reviewer2", "REJECT", "the release notes are missing");

        // Then
        assertThat(review).isEnded().hasPassed("EndEvent_Rejected", "Task_RecordDecision", "EndEvent_Decided")
            .hasNotPassed("EndEvent_Approved");
        assertThat(closedAs).containsExactly("REJECTED");
        assertThat(outcome(review)).isEqualTo("REJECTED");
        assertThat(historicVariable(review, OUTCOME_REASON)).isEqualTo("the release notes are missing");
    }

    @Test
    void shouldCloseAsWithdrawnWhenTheApplicantWithdraws() {
        // Given
        ProcessInstance review = apply(1);

        // When
        runtimeService().createMessageCorrelation(WITHDRAW_MESSAGE).processInstanceId(review.getId()).correlate();

        // Then
        assertThat(review).isEnded().hasPassed("BoundaryEvent_Withdrawn", "Task_MarkWithdrawn", "EndEvent_Withdrawn")
            .hasNotPassed("Task_RecordDecision", "EndEvent_Decided");
        assertThat(closedAs).containsExactly("WITHDRAWN");
        assertThat(outcome(review)).isEqualTo("WITHDRAWN");
        assertThat(engine.engine().getTaskService().createTaskQuery().count()).as("no review task left").isZero();
    }

    @Test
    void shouldExpireWhenNobodyDecidesInTime() {
        // Given
        ProcessInstance review = apply(1);
        assertThat(engine.timer(review, "BoundaryEvent_Expired")).hasDueDate(Date.from(NOW.plus(Duration.ofDays(3))));

        // When
        engine.fireTimer(review, "BoundaryEvent_Expired");

        // Then
        assertThat(review).isEnded().hasPassed("Task_MarkExpired", "EndEvent_Expired")
            .hasNotPassed("Task_RecordDecision", "Task_RemindReviewers");
        assertThat(closedAs).containsExactly("EXPIRED");
        assertThat(outcome(review)).isEqualTo("EXPIRED");
        assertThat(engine.engine().getManagementService().createJobQuery().count()).as("the reminder is gone too")
            .isZero();
    }

    @Test
    void shouldRemindTheReviewersAndKeepTheReviewOpen() {
        // Given
        ProcessInstance review = apply(1);
        Task open = task(review);
        assertThat(engine.timer(review, "BoundaryEvent_ReminderDue"))
            .hasDueDate(Date.from(NOW.plus(Duration.ofHours(4))));

        // When
        engine.fireTimer(review, "BoundaryEvent_ReminderDue");
        engine.runDueJobs();

        // Then
        assertThat(reminders).isEqualTo(1);
        assertThat(review).hasPassed("Task_RemindReviewers", "EndEvent_Reminded").isWaitingAt("Task_Review");
        assertThat(task(review).getId()).as("the same task stays open").isEqualTo(open.getId());
        assertThat(engine.engine().getManagementService().createJobQuery().timers()
            .activityId("BoundaryEvent_ReminderDue").count()).as("one reminder only").isZero();

        // When
        decide(review, "reviewer", "APPROVE", null);

        // Then
        assertThat(review).isEnded().hasPassed("EndEvent_Decided");
        assertThat(closedAs).containsExactly("APPROVED");
    }

    @Test
    void shouldHandTheOutcomeBackOnlyAfterAReminderAlreadyDueHasRun() {
        // Given: the reminder fired, its step not run yet
        ProcessInstance review = apply(1);
        engine.fireTimer(review, "BoundaryEvent_ReminderDue");

        // When
        decide(review, "reviewer", "APPROVE", null);

        // Then: the decision is recorded, but the instance (and a calling app-publish) waits for the reminder
        assertThat(review).hasPassed("Task_RecordDecision", "EndEvent_Decided").isWaitingAt("Task_RemindReviewers")
            .isNotEnded();

        // When
        engine.runDueJobs();

        // Then
        assertThat(review).isEnded();
        assertThat(reminders).isEqualTo(1);
    }

    private ProcessInstance apply(int requiredApprovals) {
        Map<String, Object> vars = new HashMap<>();
        vars.put(WORKSPACE, "Demo");
        vars.put(CATEGORY, "PUBLISH");
        vars.put(TITLE, "Publish shop 1.2.0 to prod");
        vars.put(OBJECT_NAME, "shop");
        vars.put(OBJECT_VERSION, "1.2.0");
        vars.put(ENVIRONMENT, "prod");
        vars.put(APPLICANT, "developer");
        vars.put(REQUIRED_APPROVALS, requiredApprovals);
        ProcessInstance review = runtimeService().startProcessInstanceByKey(PROCESS_KEY, vars);
        assertThat(review).hasVariables(APPROVAL_ID, REQUIRED_APPROVALS);
        return review;
    }

    private void decide(ProcessInstance review, String reviewer, String decision, String comment) {
        Map<String, Object> form = withVariables(DECISION, decision);
        form.put(COMMENT, comment);
        engine.engine().getIdentityService().setAuthenticatedUserId(reviewer);
        try {
            complete(task(review), form);
        } finally {
            engine.engine().getIdentityService().clearAuthentication();
        }
    }

    private Object outcome(ProcessInstance review) {
        return historicVariable(review, OUTCOME);
    }

    private Object historicVariable(ProcessInstance review, String name) {
        return engine.engine().getHistoryService().createHistoricVariableInstanceQuery()
            .processInstanceId(review.getId()).variableName(name).singleResult().getValue();
    }

    /** Registers the application: its id, and the caller's number of approvals or the policy's one. */
    private JavaDelegate registerApplication() {
        return execution -> {
            execution.setVariable(APPROVAL_ID, REGISTERED_ID);
            if (!(execution.getVariable(REQUIRED_APPROVALS) instanceof Number)) {
                execution.setVariable(REQUIRED_APPROVALS, 1);
            }
        };
    }

    /** Counts the decisions as the real listener does, without its checks: one rejection rejects. */
    private TaskListener decisionListener() {
        return task -> {
            String user = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication().getUserId();
            int required = ((Number) task.getVariable(REQUIRED_APPROVALS)).intValue();
            String state;
            if ("REJECT".equals(task.getVariable(DECISION))) {
                state = "REJECTED";
                task.getExecution().setVariable(OUTCOME_REASON, task.getVariable(COMMENT));
            } else {
                approvers.add(user);
                state = approvers.size() >= required ? "APPROVED" : "NEEDS_MORE";
            }
            task.getExecution().setVariable(REVIEW_STATE, state);
            task.getExecution().setVariable(OUTCOME, state);
            task.getExecution().removeVariable(DECISION);
            task.getExecution().removeVariable(COMMENT);
        };
    }

    /** Ends the application as the step's input {@code closeAs} says and hands the status back as outcome. */
    private JavaDelegate closeApplication() {
        return execution -> {
            String status = (String) execution.getVariable(CloseApplication.CLOSE_AS);
            closedAs.add(status);
            execution.setVariable(OUTCOME, status);
        };
    }
}
