package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.FlowElement;
import org.junit.jupiter.api.Test;

/** Every name a model shows has its Chinese name, and a translated model is the same model with other names. */
class ActivityNamesTest {

    private final ActivityNames names = new ActivityNames();

    @Test
    void everyNamedElementOfEveryModelHasAChineseName() throws IOException {
        List<String> missing = new ArrayList<>();
        try (DirectoryStream<Path> models = Files.newDirectoryStream(Path.of("bpmn"), "*.bpmn")) {
            for (Path model : models) {
                for (FlowElement element : Bpmn.readModelFromFile(model.toFile())
                        .getModelElementsByType(FlowElement.class)) {
                    if (element.getName() != null && !names.translated(element.getName())) {
                        missing.add(model.getFileName() + " " + element.getId() + " \"" + element.getName() + "\"");
                    }
                }
            }
        }
        assertThat(missing).as("names without a line in " + ActivityNames.ZH_NAMES).isEmpty();
    }

    @Test
    void aModelReadInChineseKeepsItsElementsAndDiagram() throws IOException {
        // Given
        Path file = Path.of("bpmn", "environment-deploy.bpmn");

        // When
        String zh;
        String en;
        try (InputStream in = Files.newInputStream(file)) {
            zh = names.translate(in, Locale.SIMPLIFIED_CHINESE);
        }
        try (InputStream in = Files.newInputStream(file)) {
            en = names.translate(in, Locale.ENGLISH);
        }

        // Then
        BpmnModelInstance model = Bpmn.readModelFromStream(new java.io.ByteArrayInputStream(zh.getBytes()));
        assertThat(model.<FlowElement>getModelElementById("Task_CheckHealth").getName()).isEqualTo("检查其健康状态");
        assertThat(model.getModelElementsByType(FlowElement.class)).hasSameSizeAs(
            Bpmn.readModelFromFile(file.toFile()).getModelElementsByType(FlowElement.class));
        assertThat(zh).contains("Task_CheckHealth_di");
        assertThat(en).contains("name=\"Check its health\"");
        assertThat(names.of("Wait", Locale.SIMPLIFIED_CHINESE)).isEqualTo("等待");
        assertThat(names.of("Wait", Locale.ENGLISH)).isEqualTo("Wait");
        assertThat(names.of("A name nobody translated", Locale.SIMPLIFIED_CHINESE)).isEqualTo("A name nobody translated");
    }
}
