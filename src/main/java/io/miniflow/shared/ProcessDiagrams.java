package io.miniflow.shared;

import java.util.List;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Makes the {@link ProcessDiagram} of a process instance: where it stands and where it has been. */
@Component
public class ProcessDiagrams {

    private final RuntimeService runtime;
    private final JdbcClient jdbc;

    public ProcessDiagrams(RuntimeService runtime, JdbcClient jdbc) {
        this.runtime = runtime;
        this.jdbc = jdbc;
    }

    /** Where the instance stands now and has been; an ended instance has no current activity and no incident. */
    public ProcessDiagram of(String processInstanceId) {
        List<String> passed = passed(processInstanceId);
        try {
            return new ProcessDiagram(processInstanceId, runtime.getActiveActivityIds(processInstanceId),
                runtime.createIncidentQuery().processInstanceId(processInstanceId).list().stream()
                    .map(Incident::getActivityId).toList(), passed);
        } catch (NullValueException ended) {
            // Not running (any more): the engine knows only running executions.
            return new ProcessDiagram(processInstanceId, List.of(), List.of(), passed);
        }
    }

    /**
     * Where an instance has been: each activity once, however often it ran (a batch's loop over thousands of mini
     * programs stays one row per activity; the engine's history index on the instance covers the query).
     */
    List<String> passed(String processInstanceId) {
        return jdbc.sql("SELECT DISTINCT ACT_ID_ FROM ACT_HI_ACTINST WHERE PROC_INST_ID_ = ?")
            .param(processInstanceId).query(String.class).list();
    }
}
