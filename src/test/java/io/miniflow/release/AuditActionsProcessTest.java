package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.mock.Mocks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;
import io.miniflow.shared.MiniflowException;

/**
 * The audit actions' paths of wechat-mp-release on an in-memory engine with the real delegates before a fake
 * platform: a withdrawn audit leaves the wait (and the poll list) and waits to be submitted again; a speed-up is a
 * step beside the wait; a refused speed-up leaves no trace.
 */
class AuditActionsProcessTest {

    private static final String APP = "wx00000000000000b2";

    private ProcessTestEngine processTest;
    private ProcessEngine engine;
    private FakeMiniProgramPlatform platform;
    private final WechatMpReleaseProcessTest.WaitsForAudit auditPolls = new WechatMpReleaseProcessTest.WaitsForAudit();

    @BeforeEach
    void startEngine() {
        processTest = ProcessTestEngine.deploying("bpmn/wechat-mp-release.bpmn", "forms/wechat-audit-rejection.form",
            "forms/wechat-audit-quota.form");
        engine = processTest.engine();
        platform = new FakeMiniProgramPlatform();
        MiniProgramRelease release = new MiniProgramRelease(platform);
        Mocks.register("releaseTimings", new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H",
            "R3/PT1M"));
        Mocks.register("commitCode", new CommitCode(release));
        Mocks.register("configureDomains", new ConfigureDomains(release));
        Mocks.register("setPrivacyGuide", new SetPrivacyGuide(release));
        Mocks.register("submitAudit", new SubmitAudit(release));
        Mocks.register("auditPolls", auditPolls);
        Mocks.register("releaseCode", new ReleaseCode(release));
        Mocks.register("verifyRelease", new VerifyRelease(release));
        Mocks.register("undoAudit", new UndoAudit(release));
        Mocks.register("speedUpAudit", new SpeedUpAudit(release));
        Mocks.register("releaseProgress", new ReleaseProgress(null, Clock.systemUTC()));
    }

    @AfterEach
    void stopEngine() {
        processTest.close();
    }

    @Test
    void shouldStopWaitingWhenTheAuditIsWithdrawnAndSubmitAgainOnRequest() {
        // Given a release waiting for its audit
        ProcessInstance pi = start();
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");
        long firstAudit = platform.app(APP).audit.auditId();

        // When it is withdrawn
        message(pi, ReleaseVariables.MESSAGE_AUDIT_RESULT, Map.of("auditStatus", "WITHDRAWN"));

        // Then the platform's audit is withdrawn, nothing polls it, and it waits to be submitted again
        assertThat(platform.app(APP).audit.status()).isEqualTo(AuditStatus.WITHDRAWN);
        assertThat(auditPolls.waiting).isEmpty();
        assertWaitingAt(pi, "Event_SubmitAgainRequested");
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_SubmitAgainRequested");

        // When someone submits it again, a new audit runs, is waited for, and its pass releases
        message(pi, ReleaseVariables.MESSAGE_SUBMIT_AGAIN, Map.of());
        processTest.runDueJobs();
        assertWaitingAt(pi, "Event_AuditResult");
        assertThat(platform.app(APP).audit.auditId()).isNotEqualTo(firstAudit);
        assertThat(auditPolls.waiting).containsExactly(pi.getId());
        platform.decideAudit(APP, AuditStatus.PASSED, null);
        message(pi, ReleaseVariables.MESSAGE_AUDIT_RESULT, Map.of("auditStatus", "PASSED"));
        processTest.runDueJobs();
        assertThat(platform.app(APP).released).isEqualTo("1.0.3");
        assertThat(List.of(platform.app(APP).commits, platform.app(APP).submits, platform.app(APP).releases))
            .containsExactly(1, 2, 1);
    }

    @Test
    void shouldSpeedUpBesideTheWaitAndLeaveNoTraceWhenRefused() {
        ProcessInstance pi = start();
        processTest.runDueJobs();

        message(pi, ReleaseVariables.MESSAGE_SPEED_UP, Map.of());
        assertThat(platform.app(APP).speedUps).isEqualTo(1);
        assertWaitingAt(pi, "Event_AuditResult");
        assertThat(auditPolls.waiting).containsExactly(pi.getId());
        assertThat(visits(pi, "Task_SpeedUpAudit")).isEqualTo(1);

        platform.speedUpRefusal = MiniflowException.conflict("wechat.error.89405", "89405", "quota used up");
        assertThatThrownBy(() -> message(pi, ReleaseVariables.MESSAGE_SPEED_UP, Map.of()))
            .isInstanceOf(MiniflowException.class);
        assertThat(visits(pi, "Task_SpeedUpAudit")).isEqualTo(1);
        assertWaitingAt(pi, "Event_AuditResult");
    }

    private ProcessInstance start() {
        Map<String, Object> vars = new HashMap<>();
        vars.put("workspace", "Demo");
        vars.put("appId", APP);
        vars.put("templateId", "7");
        vars.put("userVersion", "1.0.3");
        vars.put("userDesc", "spring release");
        vars.put("extJson", "{\"extAppid\":\"" + APP + "\"}");
        return engine.getRuntimeService().startProcessInstanceByKey(ReleaseVariables.PROCESS_KEY, APP, vars);
    }

    private void message(ProcessInstance pi, String name, Map<String, Object> vars) {
        engine.getRuntimeService().createMessageCorrelation(name).processInstanceId(pi.getId()).setVariables(vars)
            .correlate();
    }

    private long visits(ProcessInstance pi, String activityId) {
        return engine.getHistoryService().createHistoricActivityInstanceQuery().processInstanceId(pi.getId())
            .activityId(activityId).count();
    }

    private void assertWaitingAt(ProcessInstance pi, String activityId) {
        assertThat(engine.getRuntimeService().getActiveActivityIds(pi.getId())).contains(activityId);
    }
}
