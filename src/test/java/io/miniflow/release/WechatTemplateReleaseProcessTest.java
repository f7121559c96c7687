package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of wechat-template-release on an in-memory engine: enough audit quota (the batch releases, and closes once
 * the dispatcher reports all releases ended), quota short (a person goes on or declines), and a quota check that keeps
 * failing. The delegates are test doubles; the dispatcher's part is played by the test (its message).
 */
class WechatTemplateReleaseProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final long BATCH = 7L;

    private ProcessTestEngine engine;
    private boolean quotaShort;
    private boolean quotaCheckFails;
    private final List<String> closedAs = new ArrayList<>();
    /** The batches that began releasing (the dispatcher starts their mini programs from then on). */
    private final List<Object> releasing = new ArrayList<>();

    /** Stands in for {@link ReleaseProgress}: records the batch's start of releasing. */
    public final class Progress {
        public void batchReleasing(DelegateExecution execution) {
            releasing.add(execution.getVariable(BatchVariables.BATCH_ID.name()));
        }
    }

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/wechat-template-release.bpmn")
            .bean("releaseTimings", new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H",
                "R2/PT1M"))
            .bean("releaseProgress", new Progress())
            .bean("checkAuditQuota", checkAuditQuota())
            .bean("quotaDecisionCheck", new QuotaDecisionCheck())
            .bean("closeReleaseBatch", (JavaDelegate) execution ->
                closedAs.add((String) execution.getVariable(BatchVariables.CLOSE_AS.name())));
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldReleaseAndCloseTheBatchOnceAllReleasesEndedWhenTheQuotaSuffices() {
        // Given
        quotaShort = false;
        ProcessInstance batch = start();
        assertThat(batch).isWaitingAt("Task_CheckAuditQuota");

        // When
        engine.runDueJobs();

        // Then
        assertThat(batch).isWaitingAt("ReceiveTask_ReleaseMiniPrograms").hasNotPassed("Task_ConfirmOverQuota");
        assertThat(releasing).containsExactly(BATCH);
        assertThat(closedAs).isEmpty();

        // When: the dispatcher saw the last release end
        allReleasesEnded();

        // Then
        assertThat(batch).isEnded()
            .hasPassedInOrder("Task_CheckAuditQuota", "ReceiveTask_ReleaseMiniPrograms", "Task_CloseBatch",
                "EndEvent_BatchDone")
            .hasNotPassed("Task_ConfirmOverQuota", "Task_CancelBatch");
        assertThat(closedAs).containsExactly("COMPLETED");
    }

    @Test
    void shouldAskAPersonWhenTheBatchIsBiggerThanTheQuota() {
        // Given
        quotaShort = true;
        ProcessInstance batch = start();

        // When
        engine.runDueJobs();

        // Then
        assertThat(batch).isWaitingAt("Task_ConfirmOverQuota").hasVariables(BatchVariables.QUOTA_REMAINING.name());
        assertThat(task(batch)).hasCandidateGroup("Demo.miniprogram-admin").hasCandidateGroup("Demo.workspace-admin");
        assertThat(releasing).as("nothing released while the person decides").isEmpty();
    }

    @Test
    void shouldReleaseAnywayWhenThePersonContinuesOverTheQuota() {
        // Given
        quotaShort = true;
        ProcessInstance batch = start();
        engine.runDueJobs();

        // When
        complete(task(batch), withVariables(BatchVariables.QUOTA_DECISION.name(), "CONTINUE"));
        engine.runDueJobs();
        assertThat(releasing).containsExactly(BATCH);
        allReleasesEnded();

        // Then
        assertThat(batch).isEnded()
            .hasPassedInOrder("Task_ConfirmOverQuota", "ReceiveTask_ReleaseMiniPrograms", "Task_CloseBatch",
                "EndEvent_BatchDone")
            .hasNotPassed("Task_CancelBatch");
        assertThat(closedAs).containsExactly("COMPLETED");
    }

    @Test
    void shouldCancelTheBatchWhenThePersonDeclines() {
        // Given
        quotaShort = true;
        ProcessInstance batch = start();
        engine.runDueJobs();

        // When
        complete(task(batch), withVariables(BatchVariables.QUOTA_DECISION.name(), "CANCEL"));
        engine.runDueJobs();

        // Then
        assertThat(batch).isEnded().hasPassedInOrder("Task_ConfirmOverQuota", "Task_CancelBatch", "EndEvent_Declined")
            .hasNotPassed("ReceiveTask_ReleaseMiniPrograms", "Task_CloseBatch");
        assertThat(releasing).isEmpty();
        assertThat(closedAs).containsExactly("CANCELLED");
    }

    @Test
    void shouldRefuseToGoOnWithoutADecision() {
        // Given
        quotaShort = true;
        ProcessInstance batch = start();
        engine.runDueJobs();

        // When / Then: completed without the form (Tasklist's REST, /engine-rest), no decision or an unknown one
        for (Map<String, Object> variables : List.<Map<String, Object>>of(Map.of(),
                Map.of(BatchVariables.QUOTA_DECISION.name(), "MAYBE"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> complete(task(batch), variables))
                .hasMessageContaining("Decide CONTINUE or CANCEL");
        }
        assertThat(batch).isWaitingAt("Task_ConfirmOverQuota");
        assertThat(closedAs).isEmpty();
    }

    @Test
    void shouldRaiseAnIncidentWhenTheQuotaCannotBeRead() {
        // Given
        quotaCheckFails = true;
        ProcessInstance batch = start();

        // When: every attempt of the release timings' retry cycle (two) fails
        engine.failOnce(batch, "Task_CheckAuditQuota");
        assertThat(engine.step(batch, "Task_CheckAuditQuota")).hasRetries(1).hasDueDate(Date.from(NOW.plusSeconds(60)));
        engine.failOnce(batch, "Task_CheckAuditQuota");

        // Then
        assertThat(engine.incident(batch).getActivityId()).isEqualTo("Task_CheckAuditQuota");
        assertThat(batch).isNotEnded().hasNotPassed("Gateway_QuotaEnough");
        assertThat(releasing).isEmpty();
    }

    private ProcessInstance start() {
        Map<String, Object> vars = new HashMap<>();
        vars.put(ReleaseVariables.WORKSPACE.name(), "Demo");
        vars.put(BatchVariables.BATCH_ID.name(), BATCH);
        vars.put(ReleaseVariables.TEMPLATE_ID.name(), 3L);
        vars.put(ReleaseVariables.USER_VERSION.name(), "1.0.3");
        vars.put(ReleaseVariables.USER_DESC.name(), "spring release");
        vars.put(ReleaseVariables.GRAY_PLAN.name(), "5,50");
        return engine.engine().getRuntimeService()
            .startProcessInstanceByKey(BatchVariables.PROCESS_KEY, "release-" + BATCH, vars);
    }

    /** What the release dispatcher sends once the batch's last release ended. */
    private void allReleasesEnded() {
        engine.engine().getRuntimeService().createMessageCorrelation(BatchVariables.ALL_ENDED_MESSAGE).correlate();
        engine.runDueJobs();
    }

    private JavaDelegate checkAuditQuota() {
        return execution -> {
            if (quotaCheckFails) {
                throw new IllegalStateException("-1 system busy");
            }
            execution.setVariable(BatchVariables.QUOTA_REMAINING.name(), quotaShort ? 2 : 100);
            execution.setVariable(BatchVariables.QUOTA_SHORT.name(), quotaShort);
        };
    }
}
