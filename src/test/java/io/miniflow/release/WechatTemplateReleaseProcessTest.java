package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.withVariables;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;

/**
 * Every path of wechat-template-release on an in-memory engine: enough audit quota (every chunk runs, the batch
 * closes), quota short (a person goes on or declines), and a quota check that keeps failing. The delegates are test
 * doubles and wechat-release-chunk is a stand-in that records what each chunk was given.
 */
class WechatTemplateReleaseProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final long BATCH = 7L;

    private ProcessTestEngine engine;
    private boolean quotaShort;
    private boolean quotaCheckFails;
    private final List<String> closedAs = new ArrayList<>();
    private final List<Map<String, Object>> chunksGot = new ArrayList<>();

    @BeforeEach
    void startEngine() {
        engine = ProcessTestEngine.deploying("bpmn/wechat-template-release.bpmn")
            .bean("releaseTimings", new ReleaseTimings("PT5M", "PT1M", "PT1H", "R2/PT1M"))
            .bean("releaseChunks", new FakeReleaseChunks(List.of(List.of("wxa1", "wxa2"), List.of("wxa3"),
                List.of("wxa4"))))
            .bean("checkAuditQuota", checkAuditQuota())
            .bean("quotaDecisionCheck", new QuotaDecisionCheck())
            .bean("closeReleaseBatch", (JavaDelegate) execution ->
                closedAs.add((String) execution.getVariable(BatchVariables.CLOSE_AS.name())));
        engine.deployStub(BatchVariables.CHUNK_PROCESS_KEY, execution -> {
            Map<String, Object> got = new HashMap<>(execution.getVariables());
            got.put("businessKey", execution.getProcessBusinessKey());
            chunksGot.add(got);
        });
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldReleaseEveryChunkAndCloseTheBatchWhenTheQuotaSuffices() {
        // Given
        quotaShort = false;
        ProcessInstance batch = start();
        assertThat(batch).isWaitingAt("Task_CheckAuditQuota");

        // When
        engine.runDueJobs();

        // Then
        assertThat(batch).isEnded()
            .hasPassedInOrder("Task_CheckAuditQuota", "CallActivity_ReleaseChunks", "Task_CloseBatch",
                "EndEvent_BatchDone")
            .hasNotPassed("Task_ConfirmOverQuota", "Task_CancelBatch");
        assertThat(chunksGot).extracting(c -> c.get(BatchVariables.CHUNK_INDEX.name()))
            .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(closedAs).containsExactly("COMPLETED");
    }

    @Test
    void shouldHandEachChunkTheBatchAndItsIndex() {
        // Given
        quotaShort = false;
        start();

        // When
        engine.runDueJobs();

        // Then
        assertThat(chunksGot).extracting(c -> c.get("businessKey"), c -> c.get(BatchVariables.BATCH_ID.name()),
                c -> c.get(ReleaseVariables.WORKSPACE.name()), c -> c.get(ReleaseVariables.TEMPLATE_ID.name()),
                c -> c.get(ReleaseVariables.USER_VERSION.name()), c -> c.get(ReleaseVariables.USER_DESC.name()),
                c -> c.get(ReleaseVariables.GRAY_PLAN.name()))
            .containsExactlyInAnyOrder(
                tuple("release-7-chunk-0", BATCH, "Demo", 3L, "1.0.3", "spring release", "5,50"),
                tuple("release-7-chunk-1", BATCH, "Demo", 3L, "1.0.3", "spring release", "5,50"),
                tuple("release-7-chunk-2", BATCH, "Demo", 3L, "1.0.3", "spring release", "5,50"));
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
        assertThat(chunksGot).as("nothing released while the person decides").isEmpty();
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

        // Then
        assertThat(batch).isEnded()
            .hasPassedInOrder("Task_ConfirmOverQuota", "CallActivity_ReleaseChunks", "Task_CloseBatch",
                "EndEvent_BatchDone")
            .hasNotPassed("Task_CancelBatch");
        assertThat(chunksGot).hasSize(3);
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
            .hasNotPassed("CallActivity_ReleaseChunks", "Task_CloseBatch");
        assertThat(chunksGot).isEmpty();
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
        assertThat(chunksGot).isEmpty();
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
