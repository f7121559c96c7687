package io.miniflow.workspace;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProvider;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProviderCaseInstanceContext;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProviderHistoricDecisionInstanceContext;
import org.camunda.bpm.engine.impl.cfg.multitenancy.TenantIdProviderProcessInstanceContext;
import org.springframework.stereotype.Component;

/**
 * Gives every process instance started with a {@code workspace} variable that workspace as its Camunda tenant
 * (called processes inherit it), so Cockpit, Tasklist and /engine-rest show each workspace only its own work.
 */
@Component
class WorkspaceTenantIdProvider extends AbstractProcessEnginePlugin implements TenantIdProvider {

    public static final String WORKSPACE_VARIABLE = "workspace";

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setTenantIdProvider(this);
    }

    @Override
    public String provideTenantIdForProcessInstance(TenantIdProviderProcessInstanceContext ctx) {
        if (ctx.getSuperExecution() != null) {
            return ctx.getSuperExecution().getTenantId();
        }
        Object workspace = ctx.getVariables() == null ? null : ctx.getVariables().get(WORKSPACE_VARIABLE);
        return workspace instanceof String name && !name.isBlank() ? name : null;
    }

    @Override
    public String provideTenantIdForCaseInstance(TenantIdProviderCaseInstanceContext ctx) {
        return null;
    }

    @Override
    public String provideTenantIdForHistoricDecisionInstance(TenantIdProviderHistoricDecisionInstanceContext ctx) {
        return null;
    }
}
