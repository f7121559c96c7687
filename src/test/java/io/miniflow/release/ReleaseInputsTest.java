package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.miniflow.release.MiniProgramSettings.ForRelease;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;

/**
 * What a batch's mini program (and a tenant's first release) starts its release with: everything it uses, nothing
 * empty, the settings read once.
 */
class ReleaseInputsTest {

    private static final String APP = "wx00000000000000b7";

    private final MiniProgramSettings settings = mock(MiniProgramSettings.class);
    private final PrivacyGuides privacyGuides = mock(PrivacyGuides.class, invocation ->
        new PrivacyGuides.Effective(PrivacyGuides.Source.NONE, null));
    private final ReleaseInputs inputs = new ReleaseInputs(settings, privacyGuides);

    @Test
    void shouldLeaveOutWhatThisReleaseDoesNotUse() {
        when(settings.forRelease(APP)).thenReturn(new ForRelease("{\"extAppid\":\"" + APP + "\"}", "", "", null));

        VariableMap release = inputs.forBatchItem(batch(null, false), new ReleaseBatchRepository.Queued(12L, APP));

        assertThat(release).containsOnlyKeys("workspace", "appId", "templateId", "userVersion", "userDesc",
            "releaseBatchId", "releaseItemId", "extJson");
        assertThat(release.get("extJson")).isEqualTo("{\"extAppid\":\"" + APP + "\"}");
        assertThat(release.get("releaseItemId")).isEqualTo(12L);
        assertThat(release.get("releaseBatchId")).isEqualTo(3L);
        assertThat(release.get("templateId")).isEqualTo("7");
        verify(settings, times(1)).forRelease(anyString());
    }

    @Test
    void shouldPassTheGrayPlanAndTheTenantsDomainsAndPrivacyContact() {
        when(settings.forRelease(APP)).thenReturn(new ForRelease("{}", "https://api.shop.example",
            "https://h5.shop.example", "privacy@shop.example"));

        VariableMap release = inputs.forBatchItem(batch("5,20,50", true), new ReleaseBatchRepository.Queued(12L, APP));

        assertThat(release).containsEntry("grayPlan", "5,20,50").containsEntry("grayApproval", true)
            .containsEntry("requestDomains", "https://api.shop.example")
            .containsEntry("webviewDomains", "https://h5.shop.example")
            .containsEntry("privacyContactEmail", "privacy@shop.example");
    }

    @Test
    void shouldGiveATenantsFirstReleaseWhatTheProvisioningHas() {
        when(settings.forRelease(APP)).thenReturn(new ForRelease("{}", "", "", null));

        VariableMap release = map(provisioningScope());

        assertThat(release).containsOnlyKeys("workspace", "appId", "templateId", "userVersion", "userDesc",
            "extJson");
    }

    private static ReleaseBatch batch(String grayPlan, boolean grayApproval) {
        return new ReleaseBatch(3L, "Demo", 7L, "1.0.3", "spring release", grayPlan, grayApproval, 20, 2, 0,
            BatchStatus.RUNNING, null, "pi-1", null, "mpadmin", Instant.now(), null, Instant.now(), 1);
    }

    private VariableMap map(Map<String, Object> batch) {
        DelegateExecution execution = mock(DelegateExecution.class);
        when(execution.getVariable(anyString())).thenAnswer(call -> batch.get(call.<String>getArgument(0)));
        VariableMap release = Variables.createVariables();
        inputs.mapInputVariables(execution, release);
        return release;
    }

    private static Map<String, Object> provisioningScope() {
        Map<String, Object> provisioning = new HashMap<>();
        provisioning.put("workspace", "Demo");
        provisioning.put("appId", APP);
        provisioning.put("templateId", "7");
        provisioning.put("userVersion", "1.0.3");
        provisioning.put("userDesc", "first release");
        provisioning.put("tenantId", 5L);
        return provisioning;
    }
}
