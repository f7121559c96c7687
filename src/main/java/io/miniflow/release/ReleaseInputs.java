package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.EXT_JSON;
import static io.miniflow.release.ReleaseVariables.GRAY_APPROVAL;
import static io.miniflow.release.ReleaseVariables.GRAY_PLAN;
import static io.miniflow.release.ReleaseVariables.PRIVACY_CONTACT_EMAIL;
import static io.miniflow.release.ReleaseVariables.RELEASED_VERSION;
import static io.miniflow.release.ReleaseVariables.REQUEST_DOMAINS;
import static io.miniflow.release.ReleaseVariables.TEMPLATE_ID;
import static io.miniflow.release.ReleaseVariables.USER_DESC;
import static io.miniflow.release.ReleaseVariables.USER_VERSION;
import static io.miniflow.release.ReleaseVariables.WEBVIEW_DOMAINS;
import static io.miniflow.release.ReleaseVariables.WORKSPACE;

import java.util.List;

import io.miniflow.release.MiniProgramSettings.ForRelease;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateVariableMapping;
import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.variable.VariableMap;
import org.springframework.stereotype.Component;

import io.miniflow.shared.ProcessVariable;

/**
 * What a caller gives a mini program's wechat-mp-release through {@code ${releaseInputs}}: the batch's chunk for each
 * of its mini programs, tenant-provisioning for a tenant's first release. A batch is told nothing back (its items
 * follow the release, docs/decisions/006); a caller outside a batch gets the released version, if any.
 */
@Component("releaseInputs")
class ReleaseInputs implements DelegateVariableMapping {

    private static final List<ProcessVariable<?>> ALWAYS = List.of(WORKSPACE, APP_ID, TEMPLATE_ID, USER_VERSION,
        USER_DESC);
    private static final List<ProcessVariable<?>> WHEN_SET = List.of(BatchVariables.BATCH_ID, BatchVariables.ITEM_ID,
        GRAY_PLAN, GRAY_APPROVAL);

    private final MiniProgramSettings settings;

    ReleaseInputs(MiniProgramSettings settings) {
        this.settings = settings;
    }

    @Override
    public void mapInputVariables(DelegateExecution caller, VariableMap release) {
        // Handed on as stored, not as read: the release sees the same values (and types) as the caller.
        ALWAYS.forEach(v -> release.putValue(v.name(), caller.getVariable(v.name())));
        WHEN_SET.forEach(v -> putIfSet(release, v, caller.getVariable(v.name())));
        ForRelease tenant = settings.forRelease(APP_ID.from(caller));
        release.putValue(EXT_JSON.name(), tenant.extJson());
        putIfSet(release, REQUEST_DOMAINS, tenant.requestDomains());
        putIfSet(release, WEBVIEW_DOMAINS, tenant.webviewDomains());
        putIfSet(release, PRIVACY_CONTACT_EMAIL, tenant.privacyContactEmail());
    }

    @Override
    public void mapOutputVariables(DelegateExecution caller, VariableScope release) {
        // In a batch the release reports through its item (ReleaseProgress), not through variables.
        if (BatchVariables.ITEM_ID.optional(caller).isEmpty()) {
            RELEASED_VERSION.optional(release).ifPresent(v -> RELEASED_VERSION.set(caller, v));
        }
    }

    private static void putIfSet(VariableMap release, ProcessVariable<?> variable, Object value) {
        if (value != null && !"".equals(value) && !Boolean.FALSE.equals(value)) {
            release.putValue(variable.name(), value);
        }
    }
}
