package io.miniflow.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** Keeps every model in bpmn/ readable by people, and proves the check itself catches what it should. */
class BpmnConventionsTest {

    private static final Path FIXTURES = Path.of("src/test/resources/bpmn-conventions");

    @Test
    void everyModelInBpmnFollowsTheHouseRules() throws IOException {
        List<String> problems = new ArrayList<>();
        Path dir = Path.of("bpmn");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".bpmn")).toList()) {
                    problems.addAll(BpmnConventions.violations(file));
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void aModelWithGeneratedIdsIsRejected() throws IOException {
        assertThat(BpmnConventions.violations(FIXTURES.resolve("generated-ids.bpmn")))
            .anyMatch(p -> p.contains("Activity_0abc123"))
            .anyMatch(p -> p.contains("Flow_1x2y3z4"));
    }

    @Test
    void aModelWithoutHistoryTimeToLiveIsRejected() throws IOException {
        assertThat(BpmnConventions.violations(FIXTURES.resolve("no-ttl.bpmn")))
            .anyMatch(p -> p.contains("historyTimeToLive"));
    }

    @Test
    void aWellNamedModelPasses() throws IOException {
        assertThat(BpmnConventions.violations(FIXTURES.resolve("good-example.bpmn"))).isEmpty();
    }

    @Test
    void readableIdsAreNotMistakenForGeneratedOnes() {
        assertThat(BpmnConventions.isGenerated("Task_SubmitAudit")).isFalse();
        assertThat(BpmnConventions.isGenerated("Gateway_Approved")).isFalse();
        assertThat(BpmnConventions.isGenerated("Event_1m2n3o4")).isTrue();
        assertThat(BpmnConventions.isGenerated("Gateway_0g1h2i3")).isTrue();
    }
}
