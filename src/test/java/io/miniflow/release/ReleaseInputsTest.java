package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.HashMap;
import java.util.Map;

import io.miniflow.release.MiniProgramSettings.ForRelease;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.junit.jupiter.api.Test;

/** What the batch hands each mini program's release: everything it uses, nothing empty, the settings read once. */
class ReleaseInputsTest {

    private static final String APP = "wx00000000000000b7";

    private final MiniProgramSettings settings = mock(MiniProgramSettings.class);
    private final ReleaseInputs inputs = new ReleaseInputs(settings);

    @Test
    void shouldLeaveOutWhatThisReleaseDoesNotUse() {
        when(settings.forRelease(APP)).thenReturn(new ForRelease("{\"extAppid\":\"" + APP + "\"}", "", "", null));

        VariableMap release = map(batchScope(null, false));

        assertThat(release).containsOnlyKeys("workspace", "appId", "templateId", "userVersion", "userDesc",
            "releaseBatchId", "releaseItemId", "extJson");
        assertThat(release.get("extJson")).isEqualTo("{\"extAppid\":\"" + APP + "\"}");
        assertThat(release.get("releaseItemId")).isEqualTo(12L);
        verify(settings, times(1)).forRelease(anyString());
    }

    @Test
    void shouldPassTheGrayPlanAndTheTenantsDomainsAndPrivacyContact() {
        when(settings.forRelease(APP)).thenReturn(new ForRelease("{}", "https://api.shop.example",
            "https://h5.shop.example", "privacy@shop.example"));

        VariableMap release = map(batchScope("5,20,50", true));

        assertThat(release).containsEntry("grayPlan", "5,20,50").containsEntry("grayApproval", true)
            .containsEntry("requestDomains", "https://api.shop.example")
            .containsEntry("webviewDomains", "https://h5.shop.example")
            .containsEntry("privacyContactEmail", "privacy@shop.example");
    }

    private VariableMap map(Map<String, Object> batch) {
        DelegateExecution execution = mock(DelegateExecution.class);
        when(execution.getVariable(anyString())).thenAnswer(call -> batch.get(call.<String>getArgument(0)));
        VariableMap release = Variables.createVariables();
        inputs.mapInputVariables(execution, release);
        return release;
    }

    private static Map<String, Object> batchScope(String grayPlan, boolean grayApproval) {
        Map<String, Object> batch = new HashMap<>();
        batch.put("workspace", "Demo");
        batch.put("appId", APP);
        batch.put("templateId", "7");
        batch.put("userVersion", "1.0.3");
        batch.put("userDesc", "spring release");
        batch.put("releaseBatchId", 3L);
        batch.put("releaseItemId", 12L);
        batch.put("grayPlan", grayPlan);
        batch.put("grayApproval", grayApproval);
        batch.put("loopCounter", 4);
        return batch;
    }
}
