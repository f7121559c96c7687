package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.APP_ID;
import static io.miniflow.release.ReleaseVariables.EXT_JSON;
import static io.miniflow.release.ReleaseVariables.GRAY_APPROVAL;
import static io.miniflow.release.ReleaseVariables.GRAY_PLAN;
import static io.miniflow.release.ReleaseVariables.PRIVACY_CONTACT_EMAIL;
import static io.miniflow.release.ReleaseVariables.PRIVACY_GUIDE;
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
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.stereotype.Component;

import io.miniflow.shared.ProcessVariable;

/**
 * What a mini program's wechat-mp-release is started with: for a batch's mini program, what the release dispatcher
 * passes ({@link #forBatchItem}); for a tenant's first release, what tenant-provisioning's call activity maps through
 * {@code ${releaseInputs}}. A batch is told nothing back (its items follow the release, docs/decisions/006); a caller
 * outside a batch gets the released version, if any.
 */
@Component("releaseInputs")
class ReleaseInputs implements DelegateVariableMapping {

    private static final List<ProcessVariable<?>> ALWAYS = List.of(WORKSPACE, APP_ID, TEMPLATE_ID, USER_VERSION,
        USER_DESC);
    private static final List<ProcessVariable<?>> WHEN_SET = List.of(GRAY_PLAN, GRAY_APPROVAL);

    private final MiniProgramSettings settings;
    private final PrivacyGuides privacyGuides;

    ReleaseInputs(MiniProgramSettings settings, PrivacyGuides privacyGuides) {
        this.settings = settings;
        this.privacyGuides = privacyGuides;
    }

    /** The variables a batch's mini program starts its release with. */
    VariableMap forBatchItem(ReleaseBatch batch, ReleaseBatchRepository.Queued item) {
        VariableMap release = Variables.createVariables()
            .putValue(WORKSPACE.name(), batch.workspace())
            .putValue(APP_ID.name(), item.appId())
            // As text: the release's forms and history have always shown it so.
            .putValue(TEMPLATE_ID.name(), String.valueOf(batch.templateId()))
            .putValue(USER_VERSION.name(), batch.userVersion())
            .putValue(USER_DESC.name(), batch.userDesc())
            .putValue(BatchVariables.BATCH_ID.name(), batch.id())
            .putValue(BatchVariables.ITEM_ID.name(), item.itemId());
        putIfSet(release, GRAY_PLAN, batch.grayPlan());
        putIfSet(release, GRAY_APPROVAL, batch.grayPlan() != null && batch.grayApproval());
        putTenantSettings(release, item.appId());
        return release;
    }

    @Override
    public void mapInputVariables(DelegateExecution caller, VariableMap release) {
        // Handed on as stored, not as read: the release sees the same values (and types) as the caller.
        ALWAYS.forEach(v -> release.putValue(v.name(), caller.getVariable(v.name())));
        WHEN_SET.forEach(v -> putIfSet(release, v, caller.getVariable(v.name())));
        putTenantSettings(release, APP_ID.from(caller));
    }

    private void putTenantSettings(VariableMap release, String appId) {
        ForRelease tenant = settings.forRelease(appId);
        release.putValue(EXT_JSON.name(), tenant.extJson());
        putIfSet(release, REQUEST_DOMAINS, tenant.requestDomains());
        putIfSet(release, WEBVIEW_DOMAINS, tenant.webviewDomains());
        putIfSet(release, PRIVACY_CONTACT_EMAIL, tenant.privacyContactEmail());
        PrivacyGuide guide = privacyGuides.effective(appId).guide();
        putIfSet(release, PRIVACY_GUIDE, guide == null ? null : guide.toJson());
    }

    @Override
    public void mapOutputVariables(DelegateExecution caller, VariableScope release) {
        RELEASED_VERSION.optional(release).ifPresent(v -> RELEASED_VERSION.set(caller, v));
    }

    private static void putIfSet(VariableMap release, ProcessVariable<?> variable, Object value) {
        if (value != null && !"".equals(value) && !Boolean.FALSE.equals(value)) {
            release.putValue(variable.name(), value);
        }
    }
}
