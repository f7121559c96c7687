package io.miniflow.conventions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.Process;

/**
 * The house rules for a .bpmn file (STYLE.md): ids that read as sentences, not the modeler's generated ones,
 * historyTimeToLive on every process, and the file named after its process key.
 */
final class BpmnConventions {

    /** What Camunda Modeler generates: a type prefix and a 7-character random suffix, e.g. Activity_0abc123. */
    private static final Pattern GENERATED_ID =
        Pattern.compile("^[A-Za-z]+_[0-9a-z]{7}$|^(sid|id)-[0-9a-fA-F-]{36}$");
    private static final Pattern HAS_DIGIT = Pattern.compile("\\d");

    private BpmnConventions() {
    }

    static List<String> violations(Path file) throws IOException {
        List<String> problems = new ArrayList<>();
        BpmnModelInstance model;
        try (var in = Files.newInputStream(file)) {
            model = Bpmn.readModelFromStream(in);
        }
        for (BaseElement element : model.getModelElementsByType(BaseElement.class)) {
            String id = element.getId();
            if (id != null && isGenerated(id)) {
                problems.add(file.getFileName() + ": generated id " + id);
            }
        }
        List<Process> processes = new ArrayList<>(model.getModelElementsByType(Process.class));
        for (Process process : processes) {
            if (process.isExecutable() && process.getCamundaHistoryTimeToLiveString() == null) {
                problems.add(file.getFileName() + ": process " + process.getId() + " has no historyTimeToLive");
            }
        }
        // A form found by its resource name breaks where the name differs (a path when run from classes, a jar
        // entry when packaged): Tasklist then shows "Form failure". Forms are referenced by their id.
        String xml = Files.readString(file);
        if (xml.contains("camunda-forms:deployment:")) {
            problems.add(file.getFileName() + ": a form referenced by resource name (camunda-forms:deployment:); "
                + "use camunda:formRef with the form's id");
        }
        String expectedKey = file.getFileName().toString().replaceFirst("\\.bpmn$", "");
        boolean named = processes.stream().anyMatch(p -> p.getId().equals(expectedKey));
        if (!named) {
            problems.add(file.getFileName() + ": no process with key " + expectedKey);
        }
        return problems;
    }

    static boolean isGenerated(String id) {
        Matcher m = GENERATED_ID.matcher(id);
        return m.matches() && HAS_DIGIT.matcher(id.substring(id.indexOf('_') + 1)).find();
    }
}
