package io.miniflow.cloudapp.build;

import static io.miniflow.cloudapp.build.BuildVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.managementService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of environment-build (issue #14) on an in-memory engine: paid by notification, by a poll or at the very
 * deadline, closed unpaid, the servers, the MySQL installation and the RDS polled until ready, out of stock on the
 * servers or on the RDS (release, refund), a failing step retried into an incident and retried by an operator, and an
 * operator giving up while a step is in an incident. The delegates are stand-ins that record their calls and set the
 * gateways' variables as the real steps will; WeChat Pay is a flag ({@link #paidAtWechatPay}) that the query and the
 * close read.
 */
class EnvironmentBuildProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final BuildTimings TIMINGS = new BuildTimings("PT1M", "PT30M", "PT10S", "PT5S", "R3/PT5M");
    private static final Date PAY_BY = Date.from(NOW.plus(Duration.parse(TIMINGS.paymentTimeout())));
    private static final String OUT_TRADE_NO_VALUE = "EB202603020900001";
    private static final List<String> NOT_ASYNC = List.of("Task_RecordPayment", "Task_MarkReady");

    private ProcessTestEngine engine;
    private final List<String> calls = new ArrayList<>();
    /** What a step does on its next calls instead of its usual, in order (not ready yet, a BPMN error, an exception). */
    private final Map<String, Deque<JavaDelegate>> nextOutcomes = new HashMap<>();
    /** Whether WeChat Pay has the order paid: what the query and the close find. */
    private boolean paidAtWechatPay;
    /** When the order was created (by the stand-in of createPaymentOrder): the deadline counts from it. */
    private Instant orderCreatedAt;

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/environment-build.bpmn")
            .bean("buildTimings", TIMINGS)
            .bean("buildSteps", new BuildStepsStandIn())
            .bean("createPaymentOrder", step("createPaymentOrder", execution -> {
                orderCreatedAt = ClockUtil.getCurrentTime().toInstant();
                execution.setVariable(OUT_TRADE_NO.name(), OUT_TRADE_NO_VALUE);
            }))
            .bean("queryPaymentOrder", step("queryPaymentOrder",
                execution -> execution.setVariable(ORDER_PAID.name(), paidAtWechatPay)))
            .bean("closePaymentOrder", step("closePaymentOrder",
                execution -> execution.setVariable(ORDER_PAID.name(), paidAtWechatPay)))
            .bean("recordPayment", step("recordPayment"))
            .bean("runInstances", step("runInstances"))
            .bean("checkInstances", step("checkInstances",
                execution -> execution.setVariable(INSTANCES_RUNNING.name(), true)))
            .bean("installMysql", step("installMysql",
                execution -> execution.setVariable(INVOCATION_ID.name(), "t-hz0000000001")))
            .bean("checkCommand", step("checkCommand",
                execution -> execution.setVariable(COMMAND_DONE.name(), true)))
            .bean("createRdsInstance", step("createRdsInstance"))
            .bean("checkRdsInstance", step("checkRdsInstance",
                execution -> execution.setVariable(DATABASE_RUNNING.name(), true)))
            .bean("prepareRdsDatabase", step("prepareRdsDatabase"))
            .bean("createLoadBalancer", step("createLoadBalancer"))
            .bean("resolveDomain", step("resolveDomain"))
            .bean("markEnvironmentReady", step("markEnvironmentReady"))
            .bean("releaseBuildResources", step("releaseBuildResources"))
            .bean("refundPaymentOrder", step("refundPaymentOrder"));
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    // --- the model itself

    @Test
    void shouldRunEveryServiceTaskButRecordingThePaymentAndMarkingReadyAsynchronouslyWithTheRetryCycle() {
        // Given
        BpmnModelInstance model = repositoryService().getBpmnModelInstance(repositoryService()
            .createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).singleResult().getId());

        // When
        Map<String, String> retryCycles = new TreeMap<>();
        List<String> notAsync = new ArrayList<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            if (!task.isCamundaAsyncBefore()) {
                notAsync.add(task.getId());
            }
            CamundaFailedJobRetryTimeCycle cycle = task.getExtensionElements() == null ? null
                : task.getExtensionElements().getElementsQuery().filterByType(CamundaFailedJobRetryTimeCycle.class)
                    .list().stream().findFirst().orElse(null);
            retryCycles.put(task.getId(), cycle == null ? null : cycle.getTextContent().trim());
        }

        // Then
        assertThat(retryCycles).as("service tasks of the model").hasSize(18);
        assertThat(notAsync).containsExactlyInAnyOrderElementsOf(NOT_ASYNC);
        retryCycles.forEach((task, cycle) -> {
            if (NOT_ASYNC.contains(task)) {
                assertThat(cycle).as("retry cycle of the synchronous %s", task).isNull();
            } else {
                assertThat(cycle).as("retry cycle of %s", task).isEqualTo("${buildTimings.retryCycle()}");
            }
        });
    }

    // --- built

    @Test
    void shouldBuildAStarterEnvironmentOnceThePaymentIsNotified() {
        // Given: the installation is still running at the first check
        next("checkCommand", notYet(COMMAND_DONE.name()));
        ProcessInstance build = startAndAwaitPayment("STARTER");

        // When
        notifyPaid(build);

        // Then: the command is polled again after the wait
        assertThat(build).isWaitingAt("Event_WaitForCommand");
        assertThat(engine.timer(build, "Event_WaitForCommand")).hasDueDate(Date.from(NOW.plusSeconds(5)));
        engine.fireTimer(build, "Event_WaitForCommand");
        engine.runDueJobs();

        assertThat(build).isEnded().hasPassedInOrder("Task_CreatePaymentOrder", "Gateway_AwaitPayment",
            "Event_PaymentReceived", "Task_RecordPayment", "Task_RunInstances", "Task_CheckInstances",
            "Gateway_Plan", "Task_InstallMysql", "Task_CheckCommand", "Event_WaitForCommand",
            "Task_ResolveDomain", "Task_MarkReady", "EndEvent_Ready")
            .hasNotPassed("Task_QueryOrder", "Task_CloseOrder", "Task_CreateDatabase", "Task_CheckDatabase",
                "Task_PrepareDatabase", "Task_CreateLoadBalancer", "Task_ReleaseAfterNoStock",
                "Task_RefundAfterNoStock", "SubProcess_GiveUp");
        assertThat(calls).containsExactly("createPaymentOrder", "recordPayment", "runInstances", "checkInstances",
            "installMysql", "checkCommand", "checkCommand", "resolveDomain", "markEnvironmentReady");
        assertThat(jobs(build)).as("no timer left behind").isZero();
    }

    @Test
    void shouldBuildAStandardEnvironmentWithRdsLoadBalancerAndDomain() {
        // Given: the RDS is still being created at the first two checks
        next("checkRdsInstance", notYet(DATABASE_RUNNING.name()));
        next("checkRdsInstance", notYet(DATABASE_RUNNING.name()));
        ProcessInstance build = startAndAwaitPayment("STANDARD");

        // When
        notifyPaid(build);
        for (int i = 0; i < 2; i++) {
            assertThat(build).isWaitingAt("Event_WaitForDatabase");
            assertThat(engine.timer(build, "Event_WaitForDatabase")).hasDueDate(Date.from(NOW.plusSeconds(10)));
            engine.fireTimer(build, "Event_WaitForDatabase");
            engine.runDueJobs();
        }

        // Then
        assertThat(build).isEnded().hasPassedInOrder("Event_PaymentReceived", "Task_RecordPayment",
            "Task_RunInstances", "Task_CheckInstances", "Gateway_Plan", "Task_CreateDatabase", "Task_CheckDatabase",
            "Event_WaitForDatabase", "Task_PrepareDatabase", "Task_CreateLoadBalancer", "Task_ResolveDomain",
            "Task_MarkReady", "EndEvent_Ready")
            .hasNotPassed("Task_InstallMysql", "Task_CheckCommand", "Task_ReleaseAfterNoStock");
        assertThat(calls).containsExactly("createPaymentOrder", "recordPayment", "runInstances", "checkInstances",
            "createRdsInstance", "checkRdsInstance", "checkRdsInstance", "checkRdsInstance", "prepareRdsDatabase",
            "createLoadBalancer", "resolveDomain", "markEnvironmentReady");
    }

    @Test
    void shouldTakeAnyPlanOtherThanStarterAsStandard() {
        // Given
        ProcessInstance build = startAndAwaitPayment("ENTERPRISE");

        // When
        notifyPaid(build);

        // Then
        assertThat(build).isEnded().hasPassed("Task_CreateDatabase", "Task_CreateLoadBalancer", "EndEvent_Ready")
            .hasNotPassed("Task_InstallMysql");
    }

    @Test
    void shouldPollTheServersUntilTheyAllRun() {
        // Given: starting at the first two checks
        next("checkInstances", notYet(INSTANCES_RUNNING.name()));
        next("checkInstances", notYet(INSTANCES_RUNNING.name()));
        ProcessInstance build = startAndAwaitPayment("STARTER");
        notifyPaid(build);

        // When / Then
        for (int i = 0; i < 2; i++) {
            assertThat(build).isWaitingAt("Event_WaitForInstances");
            assertThat(engine.timer(build, "Event_WaitForInstances")).hasDueDate(Date.from(NOW.plusSeconds(10)));
            assertThat(calls).doesNotContain("installMysql", "createRdsInstance");
            engine.fireTimer(build, "Event_WaitForInstances");
            engine.runDueJobs();
        }

        // Then
        assertThat(build).isEnded().hasPassed("Event_WaitForInstances", "Task_InstallMysql", "EndEvent_Ready");
        assertThat(count("checkInstances")).isEqualTo(3);
        assertThat(count("runInstances")).as("the servers are bought once").isEqualTo(1);
        assertThat(count("installMysql")).isEqualTo(1);
    }

    // --- the payment

    @Test
    void shouldWaitForThePaymentWithAPollAndTheDeadlineOfTheOrder() {
        // When
        ProcessInstance build = startAndAwaitPayment("STARTER");

        // Then
        assertThat(engine.timer(build, "Event_PollPayment")).hasDueDate(Date.from(NOW.plusSeconds(60)));
        assertThat(engine.timer(build, "Event_PaymentDeadline")).hasDueDate(PAY_BY);
        assertThat(runtimeService().createEventSubscriptionQuery().processInstanceId(build.getId())
            .eventName(MESSAGE_PAYMENT_RECEIVED).count()).isEqualTo(1);
        assertThat(calls).containsExactly("createPaymentOrder");
    }

    @Test
    void shouldCloseTheUnpaidOrderAtTheDeadlineAndBuyNothing() {
        // Given
        ProcessInstance build = startAndAwaitPayment("STARTER");

        // When
        ClockUtil.setCurrentTime(PAY_BY);
        engine.fireTimer(build, "Event_PaymentDeadline");
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassedInOrder("Event_PaymentDeadline", "Task_CloseOrder",
            "Gateway_ClosedOrPaid", "EndEvent_ClosedUnpaid")
            .hasNotPassed("Task_RecordPayment", "Task_RunInstances", "Task_RefundAfterNoStock");
        assertThat(calls).containsExactly("createPaymentOrder", "closePaymentOrder");
        assertThat(jobs(build)).as("the poll timer is gone with the gateway").isZero();
        assertThat(runtimeService().createEventSubscriptionQuery().processInstanceId(build.getId()).count())
            .as("a late notification no longer finds the build").isZero();
    }

    @Test
    void shouldBuildWhenTheOrderTurnsOutPaidAsItIsClosedAtTheDeadline() {
        // Given
        ProcessInstance build = startAndAwaitPayment("STARTER");

        // When: paid at the very deadline, the notification not yet arrived
        paidAtWechatPay = true;
        ClockUtil.setCurrentTime(PAY_BY);
        engine.fireTimer(build, "Event_PaymentDeadline");
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassedInOrder("Event_PaymentDeadline", "Task_CloseOrder",
            "Gateway_ClosedOrPaid", "Task_RecordPayment", "Task_RunInstances", "EndEvent_Ready")
            .hasNotPassed("EndEvent_ClosedUnpaid");
        assertThat(calls).startsWith("createPaymentOrder", "closePaymentOrder", "recordPayment", "runInstances")
            .contains("markEnvironmentReady");
    }

    @Test
    void shouldBuildWhenThePollFindsTheOrderPaidThoughTheNotificationWasLost() {
        // Given
        ProcessInstance build = startAndAwaitPayment("STARTER");

        // When: paid, the notification lost
        paidAtWechatPay = true;
        ClockUtil.setCurrentTime(Date.from(NOW.plusSeconds(60)));
        engine.fireTimer(build, "Event_PollPayment");
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassedInOrder("Event_PollPayment", "Task_QueryOrder", "Gateway_PaidYet",
            "Task_RecordPayment", "Task_RunInstances", "EndEvent_Ready")
            .hasNotPassed("Event_PaymentReceived", "Task_CloseOrder");
        assertThat(calls).startsWith("createPaymentOrder", "queryPaymentOrder", "recordPayment");
        assertThat(count("recordPayment")).isEqualTo(1);
    }

    @Test
    void shouldWaitAgainUntilTheSameDeadlineWhenThePollFindsTheOrderNotYetPaid() {
        // Given
        ProcessInstance build = startAndAwaitPayment("STARTER");
        Date deadline = engine.timer(build, "Event_PaymentDeadline").getDuedate();
        assertThat(deadline).isEqualTo(PAY_BY);

        // When: ten minutes on, a poll finds it unpaid
        Instant polledAt = NOW.plusSeconds(600);
        ClockUtil.setCurrentTime(Date.from(polledAt));
        engine.fireTimer(build, "Event_PollPayment");
        engine.runDueJobs();

        // Then: back at the gateway, a new poll, the deadline where it was
        assertAwaitingPayment(build);
        assertThat(build).hasPassed("Task_QueryOrder", "Gateway_PaidYet").hasNotPassed("Task_RecordPayment");
        assertThat(engine.timer(build, "Event_PollPayment")).hasDueDate(Date.from(polledAt.plusSeconds(60)));
        assertThat(engine.timer(build, "Event_PaymentDeadline").getDuedate()).as("the order's deadline")
            .isEqualTo(deadline);
        assertThat(calls).containsExactly("createPaymentOrder", "queryPaymentOrder");

        // When: a second poll finds it paid
        paidAtWechatPay = true;
        ClockUtil.setCurrentTime(Date.from(polledAt.plusSeconds(60)));
        engine.fireTimer(build, "Event_PollPayment");
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassed("Task_RecordPayment", "EndEvent_Ready")
            .hasNotPassed("Task_CloseOrder", "Event_PaymentReceived");
        assertThat(count("queryPaymentOrder")).isEqualTo(2);
        assertThat(count("recordPayment")).isEqualTo(1);
    }

    @Test
    void shouldStillTakeTheNotificationAfterAPollFoundTheOrderNotYetPaid() {
        // Given
        ProcessInstance build = startAndAwaitPayment("STANDARD");
        ClockUtil.setCurrentTime(Date.from(NOW.plusSeconds(60)));
        engine.fireTimer(build, "Event_PollPayment");
        engine.runDueJobs();
        assertAwaitingPayment(build);

        // When
        notifyPaid(build);

        // Then
        assertThat(build).isEnded().hasPassed("Task_QueryOrder", "Event_PaymentReceived", "EndEvent_Ready")
            .hasNotPassed("Task_CloseOrder");
        assertThat(count("queryPaymentOrder")).isEqualTo(1);
    }

    @Test
    void shouldCloseTheOrderAtTheOriginalDeadlineAfterPollsFoundItUnpaid() {
        // Given: two polls, both unpaid
        ProcessInstance build = startAndAwaitPayment("STARTER");
        for (int i = 1; i <= 2; i++) {
            ClockUtil.setCurrentTime(Date.from(NOW.plusSeconds(60L * i)));
            engine.fireTimer(build, "Event_PollPayment");
            engine.runDueJobs();
        }
        assertThat(engine.timer(build, "Event_PaymentDeadline")).hasDueDate(PAY_BY);

        // When: the deadline's job is due at PAY_BY and not before
        ClockUtil.setCurrentTime(Date.from(PAY_BY.toInstant().minusSeconds(1)));
        assertThat(timerDue(build, "Event_PaymentDeadline")).isFalse();
        ClockUtil.setCurrentTime(PAY_BY);
        assertThat(timerDue(build, "Event_PaymentDeadline")).isTrue();
        engine.fireTimer(build, "Event_PaymentDeadline");
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassed("EndEvent_ClosedUnpaid").hasNotPassed("Task_RunInstances");
        assertThat(calls).containsExactly("createPaymentOrder", "queryPaymentOrder", "queryPaymentOrder",
            "closePaymentOrder");
    }

    // --- out of stock

    @Test
    void shouldReleaseAndRefundWhenTheServersAreOutOfStock() {
        // Given
        next("runInstances", execution -> {
            throw new BpmnError("NO_STOCK", "ecs.c7.large sold out in cn-hangzhou-h");
        });
        ProcessInstance build = startAndAwaitPayment("STANDARD");

        // When
        notifyPaid(build);

        // Then
        assertThat(build).isEnded().hasPassedInOrder("Task_RunInstances", "BoundaryEvent_NoStockServers",
            "Task_ReleaseAfterNoStock", "Task_RefundAfterNoStock", "EndEvent_NoStock")
            .hasNotPassed("Task_CheckInstances", "Task_CreateDatabase", "EndEvent_Ready");
        assertThat(calls).containsExactly("createPaymentOrder", "recordPayment", "runInstances",
            "releaseBuildResources", "refundPaymentOrder");
    }

    @Test
    void shouldReleaseTheServersAndRefundWhenTheRdsIsOutOfStock() {
        // Given
        next("createRdsInstance", execution -> {
            throw new BpmnError("NO_STOCK", "rds.mysql.s2.large sold out");
        });
        ProcessInstance build = startAndAwaitPayment("STANDARD");

        // When
        notifyPaid(build);

        // Then
        assertThat(build).isEnded().hasPassedInOrder("Task_RunInstances", "Task_CheckInstances",
            "Task_CreateDatabase", "BoundaryEvent_NoStockDatabase", "Task_ReleaseAfterNoStock",
            "Task_RefundAfterNoStock", "EndEvent_NoStock")
            .hasNotPassed("BoundaryEvent_NoStockServers", "Task_CheckDatabase", "Task_CreateLoadBalancer",
                "EndEvent_Ready");
        assertThat(calls).endsWith("createRdsInstance", "releaseBuildResources", "refundPaymentOrder");
        assertThat(calls).doesNotContain("markEnvironmentReady");
    }

    // --- failures

    @Test
    void shouldRetryAFailingStepAndRaiseAnIncidentWhenTheRetriesRunOut() {
        // Given: checking the servers fails for a technical reason, three times
        for (int i = 0; i < 3; i++) {
            next("checkInstances", execution -> {
                throw new IllegalStateException("ECS API unreachable");
            });
        }
        ProcessInstance build = startAndAwaitPayment("STARTER");

        // When / Then: buildTimings' retry cycle, R3/PT5M
        paidAndFailingAt(build, "Task_CheckInstances");
        engine.failsUntilIncident(build, "Task_CheckInstances", Date.from(NOW.plusSeconds(300)));

        // Then
        assertThat(build).isNotEnded().isWaitingAt("Task_CheckInstances")
            .hasNotPassed("Task_ReleaseAfterNoStock", "Task_InstallMysql");
        assertThat(count("checkInstances")).isEqualTo(3);
        assertThat(count("runInstances")).isEqualTo(1);

        // When: the cause removed (the stand-in succeeds now), an operator retries the step
        engine.retryNow(build, "Task_CheckInstances");
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassed("Task_InstallMysql", "EndEvent_Ready");
        assertThat(runtimeService().createIncidentQuery().processInstanceId(build.getId()).count()).isZero();
        assertThat(count("checkInstances")).isEqualTo(4);
        assertThat(count("runInstances")).as("the servers are not bought twice").isEqualTo(1);
        assertThat(calls).doesNotContain("releaseBuildResources", "refundPaymentOrder");
    }

    @Test
    void shouldBuildAfterAnOperatorRetriesAStepInAnIncidentWithSetJobRetries() {
        // Given: resolving the domain failed for good
        for (int i = 0; i < 3; i++) {
            next("resolveDomain", execution -> {
                throw new IllegalStateException("DNS API rate limited");
            });
        }
        ProcessInstance build = startAndAwaitPayment("STANDARD");
        paidAndFailingAt(build, "Task_ResolveDomain");
        engine.failOnce(build, "Task_ResolveDomain");
        engine.failOnce(build, "Task_ResolveDomain");
        assertThat(engine.incident(build).getActivityId()).isEqualTo("Task_ResolveDomain");

        // When: the cause removed, as in Cockpit
        String jobId = engine.step(build, "Task_ResolveDomain").getId();
        managementService().setJobRetries(jobId, 1);
        managementService().executeJob(jobId);

        // Then
        assertThat(build).isEnded().hasPassed("Task_ResolveDomain", "Task_MarkReady", "EndEvent_Ready");
        assertThat(count("resolveDomain")).isEqualTo(4);
        assertThat(count("createLoadBalancer")).isEqualTo(1);
        assertThat(count("markEnvironmentReady")).isEqualTo(1);
    }

    @Test
    void shouldReleaseAndRefundWhenAnOperatorGivesUpWhileAStepIsInAnIncident() {
        // Given: preparing the RDS database fails for good
        for (int i = 0; i < 3; i++) {
            next("prepareRdsDatabase", execution -> {
                throw new IllegalStateException("RDS account API failing");
            });
        }
        ProcessInstance build = startAndAwaitPayment("STANDARD");
        paidAndFailingAt(build, "Task_PrepareDatabase");
        engine.failOnce(build, "Task_PrepareDatabase");
        engine.failOnce(build, "Task_PrepareDatabase");
        assertThat(engine.incident(build).getActivityId()).isEqualTo("Task_PrepareDatabase");

        // When
        runtimeService().createMessageCorrelation(MESSAGE_GIVE_UP).processInstanceId(build.getId())
            .correlateWithResult();
        engine.runDueJobs();

        // Then
        assertThat(build).isEnded().hasPassedInOrder("StartEvent_GiveUpRequested", "Task_ReleaseResources",
            "Task_RefundOrder", "EndEvent_GivenUp")
            .hasNotPassed("Task_CreateLoadBalancer", "Task_ReleaseAfterNoStock", "EndEvent_Ready");
        assertThat(historyService().createHistoricIncidentQuery().processInstanceId(build.getId())
            .activityId("Task_PrepareDatabase").singleResult().isOpen()).as("the incident closed with its step")
            .isFalse();
        assertThat(jobs(build)).as("no job left behind").isZero();
        assertThat(runtimeService().createIncidentQuery().processInstanceId(build.getId()).count()).isZero();
        assertThat(calls).endsWith("prepareRdsDatabase", "releaseBuildResources", "refundPaymentOrder");
        assertThat(count("prepareRdsDatabase")).isEqualTo(3);
        assertThat(calls).doesNotContain("createLoadBalancer", "markEnvironmentReady");
    }

    // --- the way through the model

    private ProcessInstance start(String plan) {
        return runtimeService().startProcessInstanceByKey(PROCESS_KEY, "Demo/shop/test", startVariables(plan));
    }

    /** As the builds API starts it: the build row exists, the instance knows it by id. */
    private static VariableMap startVariables(String plan) {
        return Variables.createVariables().putValue(WORKSPACE.name(), "Demo").putValue(BUILD_ID.name(), 11L)
            .putValue(CLOUD_APP.name(), "shop").putValue(ENV.name(), "test").putValue(PLAN.name(), plan);
    }

    private ProcessInstance startAndAwaitPayment(String plan) {
        ProcessInstance build = start(plan);
        engine.runDueJobs();
        assertAwaitingPayment(build);
        return build;
    }

    /** At the event-based gateway: the notification, the poll's timer and the deadline's timer, nothing else. */
    private void assertAwaitingPayment(ProcessInstance build) {
        assertThat(build).isWaitingAtExactly("Gateway_AwaitPayment");
        assertThat(runtimeService().createEventSubscriptionQuery().processInstanceId(build.getId())
            .eventType("message").list()).extracting(subscription -> subscription.getActivityId())
            .containsExactlyInAnyOrder("Event_PaymentReceived", "StartEvent_GiveUpRequested");
        assertThat(managementService().createJobQuery().processInstanceId(build.getId()).timers().count())
            .as("the poll's and the deadline's timers").isEqualTo(2);
        engine.timer(build, "Event_PollPayment");
        engine.timer(build, "Event_PaymentDeadline");
        assertThat(managementService().createJobQuery().processInstanceId(build.getId()).messages().count())
            .as("no step pending").isZero();
    }

    /** As the WeChat Pay notification does: the order is paid, the message goes to this build. */
    private void notifyPaid(ProcessInstance build) {
        paidAtWechatPay = true;
        runtimeService().createMessageCorrelation(MESSAGE_PAYMENT_RECEIVED).processInstanceId(build.getId())
            .correlateWithResult();
        engine.runDueJobs();
    }

    /**
     * Notifies the payment and runs the steps as the job executor would, until the step at this activity fails for a
     * technical reason the first time (the engine records the failure and counts its retries down).
     */
    private void paidAndFailingAt(ProcessInstance build, String activityId) {
        assertThatThrownBy(() -> notifyPaid(build)).as("the step at %s fails", activityId)
            .isInstanceOf(IllegalStateException.class);
        assertThat(engine.step(build, activityId).getExceptionMessage()).isNotBlank();
        assertThat(runtimeService().createIncidentQuery().processInstanceId(build.getId()).count()).isZero();
    }

    private long jobs(ProcessInstance build) {
        return managementService().createJobQuery().processInstanceId(build.getId()).count();
    }

    /** Whether the timer at this activity is due now (what the job executor would pick up). */
    private boolean timerDue(ProcessInstance build, String activityId) {
        return managementService().createJobQuery().processInstanceId(build.getId()).timers()
            .activityId(activityId).executable().count() == 1;
    }

    // --- stand-ins

    private int count(String step) {
        return Collections.frequency(calls, step);
    }

    private void next(String step, JavaDelegate outcome) {
        nextOutcomes.computeIfAbsent(step, s -> new ArrayDeque<>()).add(outcome);
    }

    /** A check that finds the resource not ready yet: the gateway's flag false. */
    private static JavaDelegate notYet(String flag) {
        return execution -> execution.setVariable(flag, false);
    }

    private JavaDelegate step(String name) {
        return step(name, execution -> { });
    }

    /** Records the call, then does what the test scripted for this call, else {@code otherwise}. */
    private JavaDelegate step(String name, JavaDelegate otherwise) {
        return execution -> {
            calls.add(name);
            JavaDelegate scripted = nextOutcomes.getOrDefault(name, new ArrayDeque<>()).poll();
            (scripted != null ? scripted : otherwise).execute(execution);
        };
    }

    /** The deadline's question; public, as the engine calls only public classes' methods from an expression. */
    public final class BuildStepsStandIn {
        public Date payBy(DelegateExecution execution) {
            assertThat(execution.getVariable(OUT_TRADE_NO.name())).as("the order exists").isEqualTo(OUT_TRADE_NO_VALUE);
            return Date.from(orderCreatedAt.plus(Duration.parse(TIMINGS.paymentTimeout())));
        }
    }
}
