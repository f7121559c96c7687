package io.miniflow.tenant;

import static io.miniflow.tenant.TenantVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.historyService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateVariableMapping;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of tenant-provisioning on an in-memory engine: live with and without the SaaS platform's webhooks, not
 * opened (no online version, bound elsewhere), the authorization link expiring and renewed, the reminder, a step that
 * failed for good retried or closed by an operator, a close request while opening and after, and a technical failure
 * that ends in an incident. The delegates are stand-ins that record their calls; wechat-mp-release is a stand-in that
 * releases or not as the test chooses (its own paths: WechatMpReleaseProcessTest).
 */
class TenantProvisioningProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final String RELEASE_PROCESS = "wechat-mp-release";
    private static final String WORKSPACE_NAME = "Demo";
    private static final String MINI_PROGRAM = "wx00000000000000t1";
    private static final long TENANT_ROW = 5L;
    private static final long TENANT_APP_ROW = 7L;
    private static final TenantTimings TIMINGS = new TenantTimings("PT1H", "PT2H", 2, "PT1M", "R3/PT5M");

    private ProcessTestEngine engine;
    private final List<String> calls = new ArrayList<>();
    /** What a step does on its next calls instead of succeeding, in order (a BPMN error, an exception). */
    private final Map<String, Deque<JavaDelegate>> nextOutcomes = new HashMap<>();
    /** Whether each release hands back a released version, in order; released once these run out. */
    private final Deque<Boolean> releaseOutcomes = new ArrayDeque<>();
    private final List<Map<String, Object>> releasesGot = new ArrayList<>();
    private boolean notifyUrl = true;

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/tenant-provisioning.bpmn", "forms/tenant-provisioning-failed.form")
            .bean("tenantTimings", TIMINGS)
            .bean("tenantApps", new NotifyUrls())
            .bean("releaseInputs", new ReleaseInputsStandIn())
            .bean("createTenantApp", step("createTenantApp"))
            .bean("generateAuthorizationLink", step("generateAuthorizationLink"))
            .bean("markAuthorizationExpired", step("markAuthorizationExpired"))
            .bean("remindAboutAuthorization", step("remindAboutAuthorization"))
            .bean("bindMiniProgram", step("bindMiniProgram", execution ->
                assertThat(execution.getVariable(APP_ID.name())).as("the authorized mini program")
                    .isEqualTo(MINI_PROGRAM)))
            .bean("applyTenantSettings", step("applyTenantSettings", execution -> {
                // As the real step: what to release, and no released version left over from an earlier attempt.
                execution.setVariable(TEMPLATE_ID.name(), 31L);
                execution.setVariable(USER_VERSION.name(), "1.4.0");
                execution.setVariable(USER_DESC.name(), "First release for tenant T1");
                execution.removeVariable(RELEASED_VERSION.name());
            }))
            .bean("recordFirstRelease", step("recordFirstRelease", execution -> {
                if (!execution.hasVariable(RELEASED_VERSION.name())) {
                    throw stepFailed(execution, "RELEASE");
                }
            }))
            .bean("askForDataMigration", step("askForDataMigration"))
            .bean("announceTenantLive", step("announceTenantLive"))
            .bean("markTenantLive", step("markTenantLive"))
            .bean("closeTenantApp", step("closeTenantApp"));
        engine.deployStub(RELEASE_PROCESS, execution -> {
            calls.add("release");
            releasesGot.add(new HashMap<>(execution.getVariables()));
            if (releaseOutcomes.isEmpty() || releaseOutcomes.poll()) {
                execution.setVariable(RELEASED_VERSION.name(), "1.4.0");
            }
        });
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldOpenTheTenantAppAndTellTheSaasPlatform() {
        // Given
        ProcessInstance tenant = startAndWaitForAuthorization();

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isEnded().hasPassedInOrder("Task_CreateTenantApp", "Task_GenerateLink",
            "ReceiveTask_WaitForAuthorization", "Task_BindMiniProgram", "Task_ApplySettings",
            "CallActivity_FirstRelease", "Task_RecordRelease", "Gateway_NotifyUrl", "Task_AskForDataMigration",
            "Task_AnnounceLive", "Task_MarkLive", "EndEvent_Live")
            .hasNotPassed("Task_RetryOrClose", "Task_MarkLinkExpired", "Task_RemindPlatform");
        assertThat(calls).containsExactly("createTenantApp", "generateAuthorizationLink", "bindMiniProgram",
            "applyTenantSettings", "release", "recordFirstRelease", "askForDataMigration", "announceTenantLive",
            "markTenantLive");
    }

    @Test
    void shouldGiveTheReleaseTheMiniProgramAndTemplateAndKeepWhatItReleased() {
        // Given
        ProcessInstance tenant = startAndWaitForAuthorization();

        // When
        authorize(tenant);

        // Then
        assertThat(releasesGot).singleElement().satisfies(got -> assertThat(got)
            .containsEntry("appId", MINI_PROGRAM).containsEntry("workspace", WORKSPACE_NAME)
            .containsEntry("templateId", 31L).containsEntry("userVersion", "1.4.0")
            .containsEntry("userDesc", "First release for tenant T1"));
        assertThat(historyService().createHistoricProcessInstanceQuery().processDefinitionKey(RELEASE_PROCESS)
            .singleResult().getBusinessKey()).as("the release runs under the mini program").isEqualTo(MINI_PROGRAM);
        assertThat(historicVariable(tenant, RELEASED_VERSION.name())).isEqualTo("1.4.0");
    }

    @Test
    void shouldOpenTheTenantAppWithoutWebhooksWhenThereIsNoNotifyUrl() {
        // Given
        notifyUrl = false;
        ProcessInstance tenant = startAndWaitForAuthorization();

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isEnded().hasPassedInOrder("Task_RecordRelease", "Gateway_NotifyUrl", "Gateway_Notified",
            "Task_MarkLive", "EndEvent_Live")
            .hasNotPassed("Task_AskForDataMigration", "Task_AnnounceLive");
        assertThat(calls).doesNotContain("askForDataMigration", "announceTenantLive").contains("markTenantLive");
    }

    @Test
    void shouldAskTheRealTenantAppsWhetherTheSaasPlatformIsToBeNotified() {
        // Given: the bean the application registers, over a tenant that gave a notify URL
        TenantRepository repository = mock(TenantRepository.class);
        when(repository.findAppById(TENANT_APP_ROW)).thenReturn(Optional.of(new TenantApp(TENANT_APP_ROW, TENANT_ROW,
            WORKSPACE_NAME, "shop-a", "shop", "prod", "1.4.0", 31L, null, TenantAppStage.RELEASING, null, null, null,
            null, MINI_PROGRAM, "1.4.0", null, "hash", NOW, NOW)));
        when(repository.findTenantById(TENANT_ROW)).thenReturn(Optional.of(new Tenant(TENANT_ROW, WORKSPACE_NAME, "T1",
            "Tenant one", null, TenantStatus.OPENING, null, "https://saas.example/hooks", "hash", "console", NOW,
            NOW)));
        engine.bean("tenantApps", new TenantApps(repository, Clock.systemUTC()));
        ProcessInstance tenant = startAndWaitForAuthorization();

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isEnded().hasPassed("Gateway_NotifyUrl", "Task_AskForDataMigration", "EndEvent_Live");
        assertThat(count("askForDataMigration")).isEqualTo(1);
    }

    @Test
    void shouldNotOpenTheTenantAppWhenTheEnvironmentHasNoOnlineVersion() {
        // Given
        next("createTenantApp", execution -> {
            throw new BpmnError("NO_ONLINE_VERSION");
        });

        // When
        ProcessInstance tenant = start();
        engine.runDueJobs();

        // Then
        assertThat(tenant).isEnded().hasPassed("Task_CreateTenantApp", "EndEvent_NoOnlineVersion")
            .hasNotPassed("Task_GenerateLink", "ReceiveTask_WaitForAuthorization");
        assertThat(calls).containsExactly("createTenantApp");
    }

    @Test
    void shouldWaitForARenewedLinkWhenTheAuthorizationExpiresAndOpenAfterTheRenewal() {
        // Given
        ProcessInstance tenant = startAndWaitForAuthorization();
        assertThat(engine.timer(tenant, "BoundaryEvent_LinkExpired").getDuedate()).as("tenantTimings' expiry")
            .isEqualTo(Date.from(NOW.plusSeconds(2 * 3600)));

        // When: the link expires
        engine.fireTimer(tenant, "BoundaryEvent_LinkExpired");

        // Then
        assertThat(tenant).isWaitingAt("ReceiveTask_WaitForRenewal").hasPassed("Task_MarkLinkExpired");
        assertThat(runtimeService().createEventSubscriptionQuery().processInstanceId(tenant.getId())
            .eventName(MESSAGE_AUTHORIZED).count()).as("the old link no longer authorizes").isZero();

        // When: the SaaS platform asks for a new link
        runtimeService().createMessageCorrelation(MESSAGE_LINK_RENEWED).processInstanceId(tenant.getId())
            .correlateWithResult();
        engine.runDueJobs();

        // Then: a new link, a new wait with its own timers
        assertThat(tenant).isWaitingAt("ReceiveTask_WaitForAuthorization");
        engine.timer(tenant, "BoundaryEvent_LinkExpired");
        engine.timer(tenant, "BoundaryEvent_RemindMerchant");
        assertThat(count("generateAuthorizationLink")).isEqualTo(2);

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isEnded().hasPassed("Task_MarkLinkExpired", "ReceiveTask_WaitForRenewal",
            "EndEvent_Live");
        assertThat(count("createTenantApp")).isEqualTo(1);
        assertThat(count("markAuthorizationExpired")).isEqualTo(1);
        assertThat(count("bindMiniProgram")).isEqualTo(1);
    }

    @Test
    void shouldRemindTheSaasPlatformAndKeepWaitingForTheAuthorization() {
        // Given
        ProcessInstance tenant = startAndWaitForAuthorization();
        assertThat(engine.timer(tenant, "BoundaryEvent_RemindMerchant").getDuedate()).as("tenantTimings' reminder")
            .isEqualTo(Date.from(NOW.plusSeconds(3600)));

        // When
        engine.fireTimer(tenant, "BoundaryEvent_RemindMerchant");
        engine.runDueJobs();

        // Then
        assertThat(tenant).hasPassed("Task_RemindPlatform", "EndEvent_Reminded")
            .isWaitingAt("ReceiveTask_WaitForAuthorization");
        assertThat(count("remindAboutAuthorization")).isEqualTo(1);
        engine.timer(tenant, "BoundaryEvent_LinkExpired");

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isEnded().hasPassed("EndEvent_Live").hasNotPassed("Task_MarkLinkExpired");
        assertThat(count("remindAboutAuthorization")).isEqualTo(1);
    }

    @Test
    void shouldNotOpenTheTenantAppWhenTheMiniProgramIsBoundElsewhere() {
        // Given
        ProcessInstance tenant = startAndWaitForAuthorization();
        next("bindMiniProgram", execution -> {
            throw new BpmnError("BOUND_ELSEWHERE");
        });

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isEnded().hasPassed("Task_BindMiniProgram", "EndEvent_BoundElsewhere")
            .hasNotPassed("Task_ApplySettings", "CallActivity_FirstRelease");
        assertThat(calls).doesNotContain("applyTenantSettings", "release", "closeTenantApp");
    }

    @Test
    void shouldAskAnOperatorWhenTheReleaseFailsAndReleaseAgainOnRetry() {
        // Given: the audit rejected, so the first release hands back no version
        releaseOutcomes.add(false);
        ProcessInstance tenant = startAndWaitForAuthorization();

        // When
        authorize(tenant);

        // Then
        assertThat(tenant).isWaitingAt("Task_RetryOrClose").hasPassed("BoundaryEvent_RecordReleaseFailed")
            .hasNotPassed("Task_AskForDataMigration");
        assertThat(task(tenant)).hasCandidateGroup(WORKSPACE_NAME + ".workspace-admin").hasCandidateGroup("operator");
        assertThat(runtimeService().getVariable(tenant.getId(), FAILED_STEP.name())).isEqualTo("RELEASE");

        // When
        complete(task(tenant), withVariables(OPERATOR_DECISION.name(), "RETRY"));
        engine.runDueJobs();

        // Then
        assertThat(tenant).isEnded().hasPassed("Gateway_RetryWhich", "EndEvent_Live").hasNotPassed("Task_CloseTenantApp");
        assertThat(count("applyTenantSettings")).isEqualTo(2);
        assertThat(count("release")).isEqualTo(2);
        assertThat(count("recordFirstRelease")).isEqualTo(2);
        assertThat(count("bindMiniProgram")).isEqualTo(1);
        assertThat(count("askForDataMigration")).isEqualTo(1);
        assertThat(count("markTenantLive")).isEqualTo(1);
    }

    @Test
    void shouldApplyTheSettingsAgainWhenAnOperatorRetriesAfterNoTemplateWasFound() {
        // Given: nothing to release (no template named, none released in the workspace yet)
        next("applyTenantSettings", execution -> {
            throw stepFailed(execution, "RELEASE");
        });
        ProcessInstance tenant = startAndWaitForAuthorization();
        authorize(tenant);
        assertThat(tenant).isWaitingAt("Task_RetryOrClose").hasPassed("BoundaryEvent_ApplySettingsFailed")
            .hasNotPassed("CallActivity_FirstRelease");

        // When
        complete(task(tenant), withVariables(OPERATOR_DECISION.name(), "RETRY"));
        engine.runDueJobs();

        // Then
        assertThat(tenant).isEnded().hasPassed("EndEvent_Live");
        assertThat(count("applyTenantSettings")).isEqualTo(2);
        assertThat(count("release")).isEqualTo(1);
        assertThat(count("bindMiniProgram")).isEqualTo(1);
    }

    @Test
    void shouldAskTheSaasPlatformAgainToMigrateDataWhenAnOperatorRetriesTheMigration() {
        // Given: the data migration webhook gave up
        next("askForDataMigration", execution -> {
            throw stepFailed(execution, "MIGRATION");
        });
        ProcessInstance tenant = startAndWaitForAuthorization();
        authorize(tenant);
        assertThat(tenant).isWaitingAt("Task_RetryOrClose").hasPassed("BoundaryEvent_AskForDataMigrationFailed")
            .hasNotPassed("Task_AnnounceLive");

        // When
        complete(task(tenant), withVariables(OPERATOR_DECISION.name(), "RETRY"));
        engine.runDueJobs();

        // Then: the migration again, not the release
        assertThat(tenant).isEnded().hasPassed("Task_AnnounceLive", "EndEvent_Live");
        assertThat(count("askForDataMigration")).isEqualTo(2);
        assertThat(count("announceTenantLive")).isEqualTo(1);
        assertThat(count("applyTenantSettings")).isEqualTo(1);
        assertThat(count("release")).isEqualTo(1);
        assertThat(count("recordFirstRelease")).isEqualTo(1);
    }

    @Test
    void shouldAnnounceAgainWithoutMigratingAgainWhenAnOperatorRetriesTheAnnouncement() {
        // Given: the tenant.live webhook gave up
        next("announceTenantLive", execution -> {
            throw stepFailed(execution, "LIVE");
        });
        ProcessInstance tenant = startAndWaitForAuthorization();
        authorize(tenant);
        assertThat(tenant).isWaitingAt("Task_RetryOrClose").hasPassed("BoundaryEvent_AnnounceLiveFailed")
            .hasNotPassed("Task_MarkLive");

        // When
        complete(task(tenant), withVariables(OPERATOR_DECISION.name(), "RETRY"));
        engine.runDueJobs();

        // Then
        assertThat(tenant).isEnded().hasPassed("EndEvent_Live");
        assertThat(count("announceTenantLive")).isEqualTo(2);
        assertThat(count("askForDataMigration")).isEqualTo(1);
        assertThat(count("release")).isEqualTo(1);
        assertThat(count("markTenantLive")).isEqualTo(1);
    }

    @Test
    void shouldCloseTheTenantAppWhenAnOperatorChoosesToClose() {
        // Given
        releaseOutcomes.add(false);
        ProcessInstance tenant = startAndWaitForAuthorization();
        authorize(tenant);
        assertThat(tenant).isWaitingAt("Task_RetryOrClose");

        // When
        complete(task(tenant), withVariables(OPERATOR_DECISION.name(), "CLOSE"));
        engine.runDueJobs();

        // Then
        assertThat(tenant).isEnded().hasPassed("Task_CloseTenantApp", "EndEvent_Closed")
            .hasNotPassed("Gateway_RetryWhich", "EndEvent_Live");
        assertThat(count("closeTenantApp")).isEqualTo(1);
        assertThat(count("release")).isEqualTo(1);
        assertThat(calls).doesNotContain("markTenantLive");
    }

    @Test
    void shouldCloseTheTenantAppWhenAskedWhileWaitingForTheAuthorization() {
        // Given
        ProcessInstance tenant = startAndWaitForAuthorization();

        // When
        runtimeService().createMessageCorrelation(MESSAGE_CLOSE).processInstanceId(tenant.getId())
            .correlateWithResult();
        engine.runDueJobs();

        // Then
        assertThat(tenant).isEnded().hasPassed("Task_CloseWhileOpening", "EndEvent_ClosedWhileOpening")
            .hasNotPassed("Task_BindMiniProgram", "EndEvent_Live");
        assertThat(historyService().createHistoricActivityInstanceQuery().processInstanceId(tenant.getId())
            .activityId("ReceiveTask_WaitForAuthorization").canceled().count()).isEqualTo(1);
        assertThat(managementJobs(tenant)).as("no timer left behind").isZero();
        assertThat(count("closeTenantApp")).isEqualTo(1);
        assertThat(calls).doesNotContain("bindMiniProgram");
    }

    @Test
    void shouldCancelTheReleaseWhenAskedToCloseWhileItRuns() {
        // Given: a release that waits (an audit under way)
        engine.deployWaitingStub(RELEASE_PROCESS);
        ProcessInstance tenant = startAndWaitForAuthorization();
        authorize(tenant);
        assertThat(tenant).isWaitingAt("CallActivity_FirstRelease");
        ProcessInstance release = runtimeService().createProcessInstanceQuery()
            .processDefinitionKey(RELEASE_PROCESS).singleResult();
        assertThat(release).isNotNull();

        // When
        runtimeService().createMessageCorrelation(MESSAGE_CLOSE).processInstanceId(tenant.getId())
            .correlateWithResult();
        engine.runDueJobs();

        // Then
        assertThat(release).isEnded();
        assertThat(historyService().createHistoricProcessInstanceQuery().processInstanceId(release.getId())
            .singleResult().getState()).isIn("EXTERNALLY_TERMINATED", "INTERNALLY_TERMINATED");
        assertThat(tenant).isEnded().hasPassed("Task_CloseWhileOpening", "EndEvent_ClosedWhileOpening")
            .hasNotPassed("Task_RecordRelease", "EndEvent_Live");
        assertThat(count("closeTenantApp")).isEqualTo(1);
        assertThat(calls).doesNotContain("recordFirstRelease");
    }

    @Test
    void shouldCloseAnOpenedTenantAppInAnInstanceOfItsOwn() {
        // Given: the tenant app is live, its instance ended
        ProcessInstance opened = startAndWaitForAuthorization();
        authorize(opened);
        assertThat(opened).isEnded();

        // When
        ProcessInstance closing = runtimeService().createMessageCorrelation(MESSAGE_CLOSE_OPENED)
            .processInstanceBusinessKey("T1/shop-a")
            .setVariables(startVariables())
            .correlateStartMessage();
        engine.runDueJobs();

        // Then
        assertThat(closing).isEnded().hasPassedInOrder("StartEvent_CloseOpenedTenantApp",
            "Task_CloseOpenedTenantApp", "EndEvent_OpenedTenantAppClosed")
            .hasNotPassed("Task_CreateTenantApp", "Task_GenerateLink");
        assertThat(count("closeTenantApp")).isEqualTo(1);
        assertThat(count("createTenantApp")).isEqualTo(1);
    }

    @Test
    void shouldRetryAFailingStepAndRaiseAnIncidentWhenTheRetriesRunOut() {
        // Given: creating the tenant app fails for a technical reason, every time
        for (int i = 0; i < 3; i++) {
            next("createTenantApp", execution -> {
                throw new IllegalStateException("database unreachable");
            });
        }
        ProcessInstance tenant = start();

        // When / Then: tenantTimings' retry cycle, R3/PT5M
        engine.failOnce(tenant, "Task_CreateTenantApp");
        engine.failsUntilIncident(tenant, "Task_CreateTenantApp", Date.from(NOW.plusSeconds(300)));

        // Then
        assertThat(tenant).isNotEnded().isWaitingAt("Task_CreateTenantApp")
            .hasNotPassed("EndEvent_NoOnlineVersion", "Task_GenerateLink");
        assertThat(count("createTenantApp")).isEqualTo(3);
    }

    // --- the way through the model

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(PROCESS_KEY, "T1/shop-a", startVariables());
    }

    /** As TenantService starts it: the tenant app row exists, the instance knows it by id. */
    private static VariableMap startVariables() {
        return Variables.createVariables().putValue(WORKSPACE.name(), WORKSPACE_NAME)
            .putValue(TENANT_CODE.name(), "T1").putValue(TENANT_APP_CODE.name(), "shop-a")
            .putValue(TENANT_APP_ID.name(), TENANT_APP_ROW);
    }

    private ProcessInstance startAndWaitForAuthorization() {
        ProcessInstance tenant = start();
        engine.runDueJobs();
        assertThat(tenant).isWaitingAt("ReceiveTask_WaitForAuthorization");
        return tenant;
    }

    /** As TenantAuthorizations does when the merchant authorized: the mini program's appid with the message. */
    private void authorize(ProcessInstance tenant) {
        runtimeService().createMessageCorrelation(MESSAGE_AUTHORIZED).processInstanceId(tenant.getId())
            .setVariable(APP_ID.name(), MINI_PROGRAM).correlateWithResult();
        engine.runDueJobs();
    }

    private long managementJobs(ProcessInstance tenant) {
        return engine.engine().getManagementService().createJobQuery().processInstanceId(tenant.getId()).count();
    }

    private Object historicVariable(ProcessInstance instance, String name) {
        return historyService().createHistoricVariableInstanceQuery().processInstanceId(instance.getId())
            .variableName(name).singleResult().getValue();
    }

    // --- stand-ins

    private int count(String step) {
        return Collections.frequency(calls, step);
    }

    private void next(String step, JavaDelegate outcome) {
        nextOutcomes.computeIfAbsent(step, s -> new ArrayDeque<>()).add(outcome);
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

    /** As TenantApps.stepFailed: where a retry goes back to, then the operator's task. */
    private static BpmnError stepFailed(DelegateExecution execution, String step) {
        execution.setVariable(FAILED_STEP.name(), step);
        return new BpmnError("STEP_FAILED", step + " failed");
    }

    /** The gateway's question; public, as the engine calls only public classes' methods from an expression. */
    public final class NotifyUrls {
        public boolean hasNotifyUrl(DelegateExecution execution) {
            assertThat(execution.getVariable(TENANT_APP_ID.name())).isEqualTo(TENANT_APP_ROW);
            return notifyUrl;
        }
    }

    /** What ReleaseInputs hands over to a release outside a batch, and back. */
    private static final class ReleaseInputsStandIn implements DelegateVariableMapping {

        @Override
        public void mapInputVariables(DelegateExecution caller, VariableMap release) {
            for (String name : List.of(WORKSPACE.name(), APP_ID.name(), TEMPLATE_ID.name(), USER_VERSION.name(),
                    USER_DESC.name())) {
                release.putValue(name, caller.getVariable(name));
            }
        }

        @Override
        public void mapOutputVariables(DelegateExecution caller, VariableScope release) {
            Object released = release.getVariable(RELEASED_VERSION.name());
            if (released != null) {
                caller.setVariable(RELEASED_VERSION.name(), released);
            }
        }
    }
}
