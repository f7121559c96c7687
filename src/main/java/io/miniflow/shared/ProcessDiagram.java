package io.miniflow.shared;

import java.util.List;

/**
 * What the console's diagram fragment (fragments/diagram.html, drawn by static/js/diagram.js) needs of one process
 * instance: its id and where it stands, the current activities and those with an incident, and the activities it has
 * passed (the executed path; the script marks a sequence flow passed when both its ends were). In shared because the
 * console and the cloud app pages (a feature, which may not depend on the console) both draw one.
 */
public record ProcessDiagram(String processInstanceId, List<String> activeActivityIds, List<String> incidentActivityIds,
                             List<String> passedActivityIds) {}
