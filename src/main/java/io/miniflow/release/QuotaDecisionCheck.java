package io.miniflow.release;

import java.util.Set;

import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.springframework.stereotype.Component;

/**
 * Refuses to complete the over-quota decision without a decision, whatever path completes it (Tasklist without the
 * form, /engine-rest): the gateway after it would otherwise fail on a missing variable with the engine's own words.
 */
@Component("quotaDecisionCheck")
class QuotaDecisionCheck implements TaskListener {

    static final Set<String> DECISIONS = Set.of("CONTINUE", "CANCEL");

    @Override
    public void notify(DelegateTask task) {
        String decision = BatchVariables.QUOTA_DECISION.optional(task).orElse(null);
        if (decision == null || !DECISIONS.contains(decision)) {
            throw new FormFieldValidationException(BatchVariables.QUOTA_DECISION.name(),
                "Decide CONTINUE or CANCEL / 请选择 CONTINUE(继续)或 CANCEL(取消)");
        }
    }
}
