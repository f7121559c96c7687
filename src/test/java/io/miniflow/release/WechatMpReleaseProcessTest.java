package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of wechat-mp-release, on an in-memory engine with the real delegates and use cases in front of a fake
 * platform: push and poll, rejection (resubmit, abandon), waiting (privacy scan, running audit, quota), gray steps,
 * rollback, and retries that must not repeat a commit, a submit or a release.
 */
class WechatMpReleaseProcessTest {

    private static final String APP = "wx00000000000000a1";

    private ProcessTestEngine processTest;
    private ProcessEngine engine;
    private FakeMiniProgramPlatform platform;
    private final WaitsForAudit auditPolls = new WaitsForAudit();
    private AuditResultCorrelator results;

    /** Stands in for {@link AuditPolls} (its table is not in this engine): which releases wait for their audit. */
    public static final class WaitsForAudit {
        final Set<String> waiting = new HashSet<>();

        public void waiting(DelegateExecution execution) {
            waiting.add(execution.getProcessInstanceId());
        }

        public void answered(DelegateExecution execution) {
            waiting.remove(execution.getProcessInstanceId());
        }
    }

    @BeforeEach
    void startEngine() {
        processTest = ProcessTestEngine.deploying("bpmn/wechat-mp-release.bpmn", "forms/wechat-audit-rejection.form",
            "forms/wechat-audit-quota.form");
        engine = processTest.engine();
        // The poll table (needed only when a push reaches no release) is not in this engine.
        results = new AuditResultCorrelator(engine.getRuntimeService(), null, Clock.systemUTC());

        platform = new FakeMiniProgramPlatform();
        MiniProgramRelease release = new MiniProgramRelease(platform);
        Mocks.register("releaseTimings", new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H",
            "R3/PT1M"));
        Mocks.register("commitCode", new CommitCode(release));
        Mocks.register("configureDomains", new ConfigureDomains(release));
        Mocks.register("setPrivacyGuide", new SetPrivacyGuide(release));
        Mocks.register("submitAudit", new SubmitAudit(release));
        Mocks.register("auditPolls", auditPolls);
        Mocks.register("grayReleaseStep", new GrayReleaseStep(release));
        Mocks.register("releaseCode", new ReleaseCode(release));
        Mocks.register("verifyRelease", new VerifyRelease(release));
        Mocks.register("rollBackRelease", new RollBackRelease(release));
        // Outside a batch (no releaseBatchId) the progress listener leaves everything alone.
        Mocks.register("releaseProgress", new ReleaseProgress(null, Clock.systemUTC()));
    }

    @AfterEach
    void stopEngine() {
        processTest.close();
    }

    @Test
    void shouldReleaseWhenTheAuditPassPushArrives() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");

        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();

        assertEnded(pi, "EndEvent_Released");
        assertThat(platform.app(APP).released).isEqualTo("1.0.3");
        assertThat(counts()).containsExactly(1, 1, 1);
    }

    @Test
    void shouldTakeThePollersAnswerWhenThePushIsLost() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");
        assertThat(auditPolls.waiting).as("listed for the poller").containsExactly(pi.getId());

        platform.decideAudit(APP, AuditStatus.PASSED, null);
        results.decided(pi.getId(), platform.latestAudit(APP));
        processTest.runDueJobs();
        assertEnded(pi, "EndEvent_Released");
        assertThat(auditPolls.waiting).as("no longer polled").isEmpty();
        assertThat(counts()).containsExactly(1, 1, 1);
    }

    @Test
    void shouldKeepWaitingThroughAnAuditDelay() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.DELAYED, "more checks needed");
        results.delayed(APP, "more checks needed");
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");
        assertThat(variable(pi, "auditReason")).isEqualTo("more checks needed");
        assertThat(auditPolls.waiting).containsExactly(pi.getId());
    }

    @Test
    void shouldResubmitWithFeedbackAfterARejection() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.REJECTED, "privacy text missing");
        push("REJECTED");

        Task decide = engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
        assertThat(decide.getTaskDefinitionKey()).isEqualTo("Task_DecideAfterRejection");
        assertThat(engine.getTaskService().getIdentityLinksForTask(decide.getId())).extracting("groupId")
            .contains("Demo.miniprogram-admin", "Demo.workspace-admin");
        engine.getTaskService().complete(decide.getId(),
            Map.of("rejectionDecision", "RESUBMIT", "rejectionFeedback", "privacy text added"));
        processTest.runDueJobs();
        assertThat(platform.app(APP).submits).isEqualTo(2);

        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();
        assertEnded(pi, "EndEvent_Released");
    }

    @Test
    void shouldEndAbandonedWhenTheAdminGivesUp() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.REJECTED, "category mismatch");
        push("REJECTED");
        Task decide = engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
        engine.getTaskService().complete(decide.getId(), Map.of("rejectionDecision", "ABANDON"));
        assertEnded(pi, "EndEvent_Abandoned");
        assertThat(platform.app(APP).releases).isZero();
    }

    @Test
    void shouldWaitForThePrivacyScanInsteadOfFailing() {
        platform.app(APP).nextSubmitRefusals.add(
            new PlatformRefusal(PlatformRefusal.Kind.MUST_WAIT, "61039 privacy scan not finished"));
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_WaitBeforeResubmitting");
        assertThat(engine.getManagementService().createJobQuery().withException().count()).isZero();
        assertThat((String) variable(pi, "waitReason")).startsWith("61039");

        processTest.fireTimer(pi, "Event_WaitBeforeResubmitting");
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");
        assertThat(platform.app(APP).submits).isEqualTo(1);
    }

    @Test
    void shouldNotResubmitWhenThisVersionIsAlreadyUnderReview() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        long auditId = (Long) variable(pi, "auditId");

        // A second run of the submit step (a retry after a crash) finds the running audit instead of submitting.
        assertThat(new MiniProgramRelease(platform)
            .submitAudit(APP, "1.0.3", "desc", null)).isEqualTo(auditId);
        assertThat(platform.app(APP).submits).isEqualTo(1);
    }

    @Test
    void shouldWaitWhileAnotherVersionsAuditRuns() {
        platform.app(APP).committed = "1.0.2";
        platform.submitAudit(APP, "older", null);
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_WaitBeforeResubmitting");
        assertThat((String) variable(pi, "waitReason")).startsWith("85009");
        assertThat(platform.app(APP).submits).isEqualTo(1);
    }

    @Test
    void shouldPauseForAPersonWhenTheAuditQuotaIsUsedUp() {
        platform.app(APP).nextSubmitRefusals.add(
            new PlatformRefusal(PlatformRefusal.Kind.AUDIT_QUOTA_EXHAUSTED, "85085 quota used up"));
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        Task resume = engine.getTaskService().createTaskQuery().processInstanceId(pi.getId()).singleResult();
        assertThat(resume.getTaskDefinitionKey()).isEqualTo("Task_ResumeAfterQuota");
        assertThat(engine.getManagementService().createJobQuery().withException().count()).isZero();

        engine.getTaskService().complete(resume.getId());
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");
        assertThat(platform.app(APP).submits).isEqualTo(1);
    }

    @Test
    void shouldReleaseInGraySteps() {
        platform.app(APP).released = "1.0.2"; // gray steps need a version online (85079 otherwise)
        ProcessInstance pi = start("5,20,50");
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();
        assertThat(platform.app(APP).gray).isEqualTo(5);
        assertWaitingAt(pi, "Event_GrayStepPause");

        processTest.fireTimer(pi, "Event_GrayStepPause");
        processTest.runDueJobs();
        assertThat(platform.app(APP).gray).isEqualTo(20);
        processTest.fireTimer(pi, "Event_GrayStepPause");
        processTest.runDueJobs();
        assertThat(platform.app(APP).gray).isZero();
        assertThat(platform.app(APP).grayCalls).isEqualTo(3);
        assertEnded(pi, "EndEvent_Released");
        assertThat(platform.app(APP).released).isEqualTo("1.0.3");
    }

    @Test
    void grayStepsCanWaitForAnApprovalInsteadOfAPause() {
        platform.app(APP).released = "1.0.2";
        Map<String, Object> vars = new HashMap<>(Map.of(ReleaseVariables.GRAY_APPROVAL.name(), true));
        ProcessInstance pi = start("5,50", vars);
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();
        assertThat(platform.app(APP).gray).isEqualTo(5);
        assertWaitingAt(pi, "Event_GrayStepApproved");
        assertThat(engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).timers().count())
            .as("no timed pause").isZero();

        engine.getRuntimeService().createMessageCorrelation(ReleaseVariables.MESSAGE_GRAY_STEP_APPROVED)
            .processInstanceId(pi.getId()).correlate();
        processTest.runDueJobs();
        assertThat(platform.app(APP).gray).isZero();
        assertEnded(pi, "EndEvent_Released");
        assertThat(platform.app(APP).grayCalls).isEqualTo(2);
    }

    @Test
    void aFirstReleaseCannotBeGrayAndGoesOutAtOnce() {
        ProcessInstance pi = start("5,20,50");
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();
        assertEnded(pi, "EndEvent_Released");
        assertThat(platform.app(APP).grayCalls).isZero();
        assertThat(platform.app(APP).released).isEqualTo("1.0.3");
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
            .variableName("grayPlanSkipped").singleResult().getValue()).asString().contains("85079");
    }

    @Test
    void shouldRevertTheGrayReleaseWhenRollbackIsRequested() {
        platform.app(APP).released = "1.0.2";
        ProcessInstance pi = start("5,50");
        processTest.runDueJobs();
        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();
        assertThat(platform.app(APP).gray).isEqualTo(5);

        engine.getRuntimeService().createMessageCorrelation(ReleaseVariables.MESSAGE_ROLLBACK)
            .processInstanceId(pi.getId()).correlate();
        processTest.runDueJobs();
        assertEnded(pi, "EndEvent_RolledBack");
        assertThat(platform.app(APP).gray).isZero();
        assertThat(engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
            .variableName("rollbackTarget").singleResult().getValue()).isEqualTo("GRAY_REVERTED");
    }

    @Test
    void shouldNotCommitOrReleaseTwiceWhenStepsAreRetried() {
        ProcessInstance pi = start(null);
        processTest.runDueJobs();
        MiniProgramRelease again = new MiniProgramRelease(platform);
        again.commit(APP, 7, "{}", "1.0.3", "desc");
        platform.decideAudit(APP, AuditStatus.PASSED, null);
        push("PASSED");
        processTest.runDueJobs();
        again.release(APP, "1.0.3");
        assertEnded(pi, "EndEvent_Released");
        assertThat(counts()).containsExactly(1, 1, 1);
    }

    @Test
    void shouldRetryCommitDomainsAndPrivacyTogetherWithoutCommittingTwice() {
        // Commit, domains and privacy are one step (one job): a failure in the privacy call rolls the step back, and
        // its retry finds the version committed, sets the domains again (a set, not an add) and goes on.
        platform.app(APP).privacyFailures = 1;
        ProcessInstance pi = start(null);
        Job step = engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).singleResult();
        try {
            engine.getManagementService().executeJob(step.getId());
            throw new AssertionError("the privacy call was to fail");
        } catch (RuntimeException expected) {
            assertThat(expected).hasStackTraceContaining("system busy");
        }
        Job retry = engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).singleResult();
        assertThat(retry.getId()).isEqualTo(step.getId());
        assertThat(retry.getRetries()).isEqualTo(2);
        engine.getManagementService().executeJob(step.getId());
        processTest.runDueJobs();

        assertWaitingAt(pi, "Event_AuditResult");
        FakeMiniProgramPlatform.App app = platform.app(APP);
        assertThat(app.commits).isEqualTo(1);
        assertThat(app.domainCalls).isEqualTo(2);
        assertThat(app.privacyCalls).isEqualTo(1);
        assertThat(app.submits).isEqualTo(1);
    }

    @Test
    void shouldRaiseAnIncidentWhenThePlatformKeepsFailing() {
        platform.app(APP).committed = null;
        ProcessInstance pi = start(null);
        FakeMiniProgramPlatform.App app = platform.app(APP);
        app.nextSubmitRefusals.clear();
        // An unexpected failure (not a refusal the model handles) exhausts the retries and becomes an incident.
        Mocks.register("commitCode", (org.camunda.bpm.engine.delegate.JavaDelegate) e -> {
            throw new IllegalStateException("-1 system busy");
        });
        for (int i = 0; i < 3; i++) {
            Job job = engine.getManagementService().createJobQuery().processInstanceId(pi.getId()).singleResult();
            try {
                engine.getManagementService().executeJob(job.getId());
            } catch (RuntimeException expected) {
                // the engine records the failure and decrements the retries
            }
        }
        assertThat(engine.getRuntimeService().createIncidentQuery().processInstanceId(pi.getId()).singleResult()
            .getActivityId()).isEqualTo("Task_CommitCode");
    }

    private ProcessInstance start(String grayPlan) {
        return start(grayPlan, new HashMap<>());
    }

    private ProcessInstance start(String grayPlan, Map<String, Object> extra) {
        Map<String, Object> vars = new HashMap<>(extra);
        vars.put("workspace", "Demo");
        vars.put("appId", APP);
        vars.put("templateId", "7");
        vars.put("userVersion", "1.0.3");
        vars.put("userDesc", "spring release");
        vars.put("extJson", "{\"extAppid\":\"" + APP + "\"}");
        vars.put("requestDomains", "https://api.shop.example");
        vars.put("privacyContactEmail", "privacy@shop.example");
        if (grayPlan != null) {
            vars.put("grayPlan", grayPlan);
        }
        return engine.getRuntimeService().startProcessInstanceByKey(ReleaseVariables.PROCESS_KEY, APP, vars);
    }

    private void push(String status) {
        engine.getRuntimeService().createMessageCorrelation(ReleaseVariables.MESSAGE_AUDIT_RESULT)
            .processInstanceVariableEquals("appId", APP)
            .setVariable("auditStatus", status)
            .correlate();
    }

    private void assertWaitingAt(ProcessInstance pi, String activityId) {
        assertThat(engine.getRuntimeService().getActiveActivityIds(pi.getId())).contains(activityId);
    }

    private void assertEnded(ProcessInstance pi, String endEvent) {
        assertThat(engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(pi.getId())
            .finished().count()).as("process ended").isEqualTo(1);
        assertThat(engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
            .activityId(endEvent).finished().count()).as("ended at %s", endEvent).isEqualTo(1);
    }

    private Object variable(ProcessInstance pi, String name) {
        return engine.getRuntimeService().getVariable(pi.getId(), name);
    }

    private List<Integer> counts() {
        FakeMiniProgramPlatform.App app = platform.app(APP);
        return List.of(app.commits, app.submits, app.releases);
    }
}
