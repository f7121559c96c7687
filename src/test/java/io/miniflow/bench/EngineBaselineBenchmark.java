package io.miniflow.bench;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import io.miniflow.MiniflowIntegrationTest;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.builder.AbstractFlowNodeBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The ceiling every Miniflow process is measured against: a bare pipeline of asynchronous no-op steps through the
 * engine as Miniflow configures it (job executor, history FULL, in-memory H2), so later benchmarks can put their
 * own pipeline beside it.
 */
@Tag("bench")
@MiniflowIntegrationTest
class EngineBaselineBenchmark {

    private static final int STEPS = 10;
    private static final int WARMUP = 100;
    private static final int INSTANCES = 500;

    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    HistoryService historyService;

    @Test
    void measureABarePipelineOfAsyncSteps() throws Exception {
        String key = "bench-bare-pipeline";
        AbstractFlowNodeBuilder<?, ?> builder = Bpmn.createExecutableProcess(key).camundaHistoryTimeToLive(1)
            .startEvent("StartEvent_Begin");
        for (int i = 1; i <= STEPS; i++) {
            builder = builder.serviceTask("Task_Step" + (char) ('A' + i - 1)).camundaAsyncBefore()
                .camundaExpression("${true}");
        }
        repositoryService.createDeployment().addModelInstance(key + ".bpmn", builder.endEvent("EndEvent_Done").done())
            .deploy();

        run(key, WARMUP);
        long rssBefore = BenchmarkReport.rssMiB();
        long start = System.nanoTime();
        run(key, INSTANCES);
        double seconds = (System.nanoTime() - start) / 1e9;

        double instancesPerSecond = INSTANCES / seconds;
        BenchmarkReport.writeSection("engine-baseline", """
            ## Engine baseline: a bare pipeline

            %d instances of a %d-step pipeline, every step `asyncBefore` with a no-op expression (one transaction and
            one job per step), after %d warm-up instances; in-memory H2, history FULL, Miniflow's job executor
            settings (application.yml). This is the ceiling for any Miniflow process with the same number of save
            points on this machine.

            | measure | value |
            |---|---|
            | wall time | %.1f s |
            | instances / s | %.1f |
            | jobs / s | %.0f |
            | JVM RSS before → after | %d → %d MiB |
            """.formatted(INSTANCES, STEPS, WARMUP, seconds, instancesPerSecond, instancesPerSecond * STEPS, rssBefore,
            BenchmarkReport.rssMiB()));
    }

    private void run(String key, int count) {
        long doneBefore = historyService.createHistoricProcessInstanceQuery().processDefinitionKey(key).finished()
            .count();
        for (int i = 0; i < count; i++) {
            runtimeService.startProcessInstanceByKey(key, Map.of("workspace", "Demo"));
        }
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200))
            .until(() -> historyService.createHistoricProcessInstanceQuery().processDefinitionKey(key).finished()
                .count() >= doneBefore + count);
    }
}
