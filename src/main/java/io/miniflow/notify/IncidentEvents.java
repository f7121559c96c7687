package io.miniflow.notify;

import java.util.ArrayList;
import java.util.List;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.incident.DefaultIncidentHandler;
import org.camunda.bpm.engine.impl.incident.IncidentContext;
import org.camunda.bpm.engine.impl.incident.IncidentHandler;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.ExecutionEntity;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Announces {@code incident.opened}: the engine's handlers of failed jobs and failed external tasks are wrapped so
 * that every incident they create also writes its outbox rows, in the same engine transaction. The workspace is the
 * instance's Camunda tenant (WorkspaceTenantIdProvider sets it from the {@code workspace} variable; called processes
 * inherit it), else its {@code workspace} variable.
 */
@Component
class IncidentEvents extends AbstractProcessEnginePlugin {

    private final ObjectProvider<Events> events;

    /** Lazily: the engine is configured before the beans that Events needs exist. */
    IncidentEvents(ObjectProvider<Events> events) {
        this.events = events;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<IncidentHandler> handlers = configuration.getCustomIncidentHandlers() == null ? new ArrayList<>()
            : new ArrayList<>(configuration.getCustomIncidentHandlers());
        for (String type : List.of(Incident.FAILED_JOB_HANDLER_TYPE, Incident.EXTERNAL_TASK_HANDLER_TYPE)) {
            if (handlers.stream().noneMatch(h -> type.equals(h.getIncidentHandlerType()))) {
                handlers.add(new Announcing(new DefaultIncidentHandler(type)));
            }
        }
        configuration.setCustomIncidentHandlers(handlers);
    }

    private final class Announcing implements IncidentHandler {

        private final IncidentHandler delegate;

        Announcing(IncidentHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getIncidentHandlerType() {
            return delegate.getIncidentHandlerType();
        }

        @Override
        public Incident handleIncident(IncidentContext context, String message) {
            Incident incident = delegate.handleIncident(context, message);
            if (incident != null) {
                announce(context, incident, message);
            }
            return incident;
        }

        @Override
        public void resolveIncident(IncidentContext context) {
            delegate.resolveIncident(context);
        }

        @Override
        public void deleteIncident(IncidentContext context) {
            delegate.deleteIncident(context);
        }
    }

    private void announce(IncidentContext context, Incident incident, String message) {
        String workspace = context.getTenantId();
        String processKey = null;
        ExecutionEntity execution = context.getExecutionId() == null ? null
            : Context.getCommandContext().getExecutionManager().findExecutionById(context.getExecutionId());
        if (execution != null) {
            if (workspace == null && execution.getVariable("workspace") instanceof String name) {
                workspace = name;
            }
            processKey = execution.getProcessDefinition() == null ? null : execution.getProcessDefinition().getKey();
        }
        events.getObject().publish(workspace, EventType.INCIDENT_OPENED,
            (processKey == null ? "" : processKey + " ") + context.getActivityId(), Events.data(
                "incidentId", incident.getId(), "incidentType", incident.getIncidentType(),
                "processKey", processKey, "processInstanceId", incident.getProcessInstanceId(),
                "activityId", context.getActivityId(), "message", message == null ? null
                    : message.length() > 500 ? message.substring(0, 500) : message),
            incident.getProcessInstanceId() == null ? null : "/processes/" + incident.getProcessInstanceId());
    }
}
