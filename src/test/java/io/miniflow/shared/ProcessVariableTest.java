package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.Function;

import org.camunda.bpm.engine.delegate.VariableScope;
import org.camunda.bpm.engine.impl.pvm.runtime.ExecutionImpl;
import org.junit.jupiter.api.Test;

/** Typed process variables: what a stored value reads as, and how a missing one is reported. */
class ProcessVariableTest {

    /** The engine's in-memory execution: a real variable scope, without a database. */
    private final VariableScope scope = new ExecutionImpl();

    @Test
    void anIdReadsAsALongFromAnyNumberOrDigits() {
        ProcessVariable<Long> id = ProcessVariable.id("releaseBatchId");
        scope.setVariable("releaseBatchId", 7);
        assertThat(id.from(scope)).isEqualTo(7L);
        scope.setVariable("releaseBatchId", 8L);
        assertThat(id.from(scope)).isEqualTo(8L);
        scope.setVariable("releaseBatchId", "42");
        assertThat(id.from(scope)).isEqualTo(42L);
    }

    @Test
    void aCountFlagAndTextReadAsTheirTypes() {
        scope.setVariable("grayStep", 2L);
        scope.setVariable("slotGranted", "true");
        scope.setVariable("auditId", 1001L);
        assertThat(ProcessVariable.count("grayStep").from(scope)).isEqualTo(2);
        assertThat(ProcessVariable.flag("slotGranted").from(scope)).isTrue();
        assertThat(ProcessVariable.text("auditId").from(scope)).isEqualTo("1001");
    }

    @Test
    void aMissingRequiredVariableIsReportedByName() {
        assertThatThrownBy(() -> ProcessVariable.id("releaseItemId").from(scope))
            .isInstanceOf(IllegalStateException.class).hasMessage("process variable releaseItemId is missing");
        scope.setVariable("appId", " ");
        assertThatThrownBy(() -> ProcessVariable.text("appId").from(scope))
            .isInstanceOf(IllegalStateException.class).hasMessage("process variable appId is missing");
    }

    @Test
    void anOptionalVariableIsEmptyOnlyWhenNotSet() {
        ProcessVariable<String> feedback = ProcessVariable.text("rejectionFeedback");
        assertThat(feedback.optional(scope)).isEmpty();
        scope.setVariable("rejectionFeedback", "");
        assertThat(feedback.optional(scope)).contains("");
    }

    @Test
    void aValueThatDoesNotConvertNamesTheVariable() {
        scope.setVariable("quotaRemaining", "many");
        assertThatThrownBy(() -> ProcessVariable.count("quotaRemaining").from(scope))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("quotaRemaining")
            .hasMessageContaining("many");
    }

    @Test
    void aCommaSeparatedListIsStoredAsOneTextAndReadBackWithoutBlanks() {
        ProcessVariable<List<Integer>> plan = ProcessVariable.commaSeparated("grayPlan", Integer::valueOf);
        plan.set(scope, List.of(5, 20, 50));
        assertThat(scope.getVariable("grayPlan")).isEqualTo("5,20,50");
        scope.setVariable("grayPlan", " 5, ,20 ");
        assertThat(plan.from(scope)).containsExactly(5, 20);
        scope.setVariable("grayPlan", "");
        assertThat(ProcessVariable.commaSeparated("grayPlan", Function.identity()).from(scope)).isEmpty();
    }

    @Test
    void setLocalAndRemoveUseTheName() {
        ProcessVariable<Boolean> granted = ProcessVariable.flag("slotGranted");
        granted.setLocal(scope, true);
        assertThat(scope.getVariable("slotGranted")).isEqualTo(true);
        granted.remove(scope);
        assertThat(granted.optional(scope)).isEmpty();
        assertThat(granted.name()).isEqualTo("slotGranted");
    }
}
