package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.complete;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.task;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;
import io.miniflow.release.MiniProgramSettings.ForRelease;

/**
 * Every path of wechat-release-chunk on an in-memory engine: a mini program that gets a start slot at once, one
 * that waits for the slot dispatcher's message, and one whose release is cancelled while the others go on. The slot
 * steps are test doubles, the inputs of each release are the real ReleaseInputs, and wechat-mp-release is a
 * stand-in that records what it was given.
 */
class WechatReleaseChunkProcessTest {

    private static final long BATCH = 7L;
    private static final List<String> CHUNK = List.of("wxa1", "wxa2");

    private ProcessTestEngine engine;
    private Slots slots;
    private final List<String> freed = new ArrayList<>();
    private final Map<String, Map<String, Object>> releasesGot = new LinkedHashMap<>();

    @BeforeEach
    void startEngine() {
        MiniProgramSettings settings = mock(MiniProgramSettings.class);
        CHUNK.forEach(appId -> when(settings.forRelease(appId))
            .thenReturn(new ForRelease("{\"extAppid\":\"" + appId + "\"}", "https://api.shop.example", null, null)));
        slots = new Slots();
        engine = ProcessTestEngine.deploying("bpmn/wechat-release-chunk.bpmn")
            .bean("releaseChunks", new FakeReleaseChunks(List.of(CHUNK)))
            .bean("takeReleaseSlot", slots)
            .bean("releaseInputs", new ReleaseInputs(settings))
            .bean("freeReleaseSlot", (JavaDelegate) execution -> freed.add(
                BatchVariables.BATCH_ID.from(execution) + "/" + BatchVariables.ITEM_ID.from(execution)));
        engine.deployStub(ReleaseVariables.PROCESS_KEY, execution -> {
            Map<String, Object> got = new HashMap<>(execution.getVariables());
            got.put("businessKey", execution.getProcessBusinessKey());
            releasesGot.put(execution.getProcessBusinessKey(), got);
        });
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldReleaseEveryMiniProgramWhenSlotsAreFree() {
        // Given
        slots.grantedAtOnce = Set.copyOf(CHUNK);
        ProcessInstance chunk = start();

        // When
        engine.runDueJobs();

        // Then
        assertThat(chunk).isEnded()
            .hasPassedInOrder("Task_TakeSlot", "CallActivity_ReleaseOne", "Task_FreeSlot", "EndEvent_ChunkDone")
            .hasNotPassed("ReceiveTask_WaitForSlot");
        assertThat(releasesGot).containsOnlyKeys("wxa1", "wxa2");
        assertThat(freed).containsExactlyInAnyOrder("7/101", "7/102");
        assertThat(slots.waiting).isEmpty();
    }

    @Test
    void shouldHandEachReleaseItsMiniProgramItemAndSettings() {
        // Given
        slots.grantedAtOnce = Set.copyOf(CHUNK);
        start();

        // When
        engine.runDueJobs();

        // Then
        assertThat(releasesGot.get("wxa2"))
            .containsEntry(ReleaseVariables.APP_ID.name(), "wxa2")
            .containsEntry(BatchVariables.BATCH_ID.name(), BATCH)
            .containsEntry(BatchVariables.ITEM_ID.name(), 102L)
            .containsEntry(ReleaseVariables.WORKSPACE.name(), "Demo")
            .containsEntry(ReleaseVariables.TEMPLATE_ID.name(), 3L)
            .containsEntry(ReleaseVariables.USER_VERSION.name(), "1.0.3")
            .containsEntry(ReleaseVariables.EXT_JSON.name(), "{\"extAppid\":\"wxa2\"}")
            .containsEntry(ReleaseVariables.REQUEST_DOMAINS.name(), "https://api.shop.example")
            .doesNotContainKeys(BatchVariables.SLOT_GRANTED.name(), BatchVariables.CHUNK_INDEX.name());
    }

    @Test
    void shouldWaitForAFreeSlotAndReleaseWhenTheDispatcherWakesIt() {
        // Given: the batch's slots are taken when wxa2 asks
        slots.grantedAtOnce = Set.of("wxa1");
        ProcessInstance chunk = start();
        engine.runDueJobs();
        assertThat(chunk).isWaitingAt("ReceiveTask_WaitForSlot").isNotEnded();
        assertThat(slots.waiting).containsOnlyKeys("wxa2");
        assertThat(releasesGot).containsOnlyKeys("wxa1");
        assertThat(freed).containsExactly("7/101");

        // When: the slot dispatcher wakes the execution the mini program recorded
        runtimeService().messageEventReceived(BatchVariables.SLOT_MESSAGE, slots.waiting.get("wxa2"));
        engine.runDueJobs();

        // Then
        assertThat(chunk).isEnded().hasPassed("ReceiveTask_WaitForSlot", "EndEvent_ChunkDone");
        assertThat(releasesGot).containsOnlyKeys("wxa1", "wxa2");
        assertThat(freed).containsExactly("7/101", "7/102");
    }

    @Test
    void shouldGoOnWithTheOtherMiniProgramsWhenOneReleaseIsCancelled() {
        // Given: both releases run
        engine.deployWaitingStub(ReleaseVariables.PROCESS_KEY);
        slots.grantedAtOnce = Set.copyOf(CHUNK);
        ProcessInstance chunk = start();
        engine.runDueJobs();

        // When: an operator cancels one mini program's release in Cockpit
        runtimeService().deleteProcessInstance(release("wxa1").getId(), "cancelled in Cockpit");

        // Then
        assertThat(chunk).isNotEnded().isWaitingAt("CallActivity_ReleaseOne");

        // When: the other one's release ends
        complete(task(release("wxa2")));
        engine.runDueJobs();

        // Then
        assertThat(chunk).isEnded().hasPassed("EndEvent_ChunkDone");
        assertThat(freed).contains("7/102");
    }

    private ProcessInstance release(String appId) {
        return runtimeService().createProcessInstanceQuery().processDefinitionKey(ReleaseVariables.PROCESS_KEY)
            .processInstanceBusinessKey(appId).singleResult();
    }

    private ProcessInstance start() {
        Map<String, Object> vars = new HashMap<>();
        vars.put(ReleaseVariables.WORKSPACE.name(), "Demo");
        vars.put(BatchVariables.BATCH_ID.name(), BATCH);
        vars.put(BatchVariables.CHUNK_INDEX.name(), 0);
        vars.put(ReleaseVariables.TEMPLATE_ID.name(), 3L);
        vars.put(ReleaseVariables.USER_VERSION.name(), "1.0.3");
        vars.put(ReleaseVariables.USER_DESC.name(), "spring release");
        return engine.engine().getRuntimeService()
            .startProcessInstanceByKey(BatchVariables.CHUNK_PROCESS_KEY, "release-7-chunk-0", vars);
    }

    /**
     * The batch's start slots: the mini programs named get one at once, the others wait. Item ids are 101, 102, ...
     * in the chunk's order. Public: the model calls {@code waiting} through the expression language.
     */
    public static class Slots implements JavaDelegate {

        Set<String> grantedAtOnce = Set.of();
        /** The execution each waiting mini program recorded for the dispatcher, by app id. */
        final Map<String, String> waiting = new HashMap<>();

        @Override
        public void execute(DelegateExecution execution) {
            String appId = (String) execution.getVariable(ReleaseVariables.APP_ID.name());
            execution.setVariableLocal(BatchVariables.ITEM_ID.name(), 101L + CHUNK.indexOf(appId));
            execution.setVariableLocal(BatchVariables.SLOT_GRANTED.name(), grantedAtOnce.contains(appId));
        }

        public void waiting(DelegateExecution execution) {
            waiting.put((String) execution.getVariable(ReleaseVariables.APP_ID.name()), execution.getId());
        }
    }
}
