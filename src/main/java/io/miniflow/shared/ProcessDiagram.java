package io.miniflow.shared;

import java.util.List;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.runtime.Incident;

/**
 * What the console's diagram fragment (fragments/diagram.html, drawn by static/js/diagram.js) needs of one process
 * instance: its id and where it stands, the current activities and those with an incident. In shared because the
 * console and the cloud app pages (a feature, which may not depend on the console) both draw one.
 */
public record ProcessDiagram(String processInstanceId, List<String> activeActivityIds, List<String> incidentActivityIds) {

    /** Where the instance stands now; an ended instance has no current activity and no incident. */
    public static ProcessDiagram of(RuntimeService runtime, String processInstanceId) {
        try {
            return new ProcessDiagram(processInstanceId, runtime.getActiveActivityIds(processInstanceId),
                runtime.createIncidentQuery().processInstanceId(processInstanceId).list().stream()
                    .map(Incident::getActivityId).toList());
        } catch (NullValueException ended) {
            // Not running (any more): the engine knows only running executions.
            return new ProcessDiagram(processInstanceId, List.of(), List.of());
        }
    }
}
