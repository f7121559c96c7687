package io.miniflow.approval;

import static io.miniflow.approval.ApprovalVariables.*;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import io.miniflow.shared.AuditLog;

/**
 * Runs when a review task completes, whoever completes it and however (console, Tasklist, /engine-rest): refuses
 * the applicant, non-reviewers, a second vote by the same reviewer and a rejection without a comment (the engine
 * then rolls the completion back), records the decision, and tells the process where the application stands.
 */
@Component("reviewDecisionListener")
class ReviewDecisionListener implements TaskListener {

    private final ApprovalRepository approvals;
    private final Reviewers reviewers;
    private final AuditLog auditLog;
    private final MessageSource messages;
    private final Clock clock;

    ReviewDecisionListener(ApprovalRepository approvals, Reviewers reviewers, AuditLog auditLog,
                           MessageSource messages, Clock clock) {
        this.approvals = approvals;
        this.reviewers = reviewers;
        this.auditLog = auditLog;
        this.messages = messages;
        this.clock = clock;
    }

    @Override
    public void notify(DelegateTask task) {
        // The application is the one this process instance registered, never one a variable names.
        Approval approval = approvals.findByProcessInstance(task.getProcessInstanceId())
            .orElseThrow(() -> new ProcessEngineException("no application registered by " + task.getProcessInstanceId()));
        long approvalId = approval.id();
        Authentication auth = task.getProcessEngineServices().getIdentityService().getCurrentAuthentication();
        String user = auth == null ? null : auth.getUserId();
        Decision decision = DecisionRules.parse(task.getVariable(DECISION));
        Object rawComment = task.getVariable(COMMENT);
        String comment = rawComment == null || rawComment.toString().isBlank() ? null : rawComment.toString().trim();
        List<ReviewerDecision> earlier = approvals.decisions(approvalId);
        boolean reviewer = user != null && reviewers.isReviewer(user, approval.workspace());

        DecisionRules.check(approval, earlier, user, reviewer, decision, comment).ifPresent(refusal -> {
            String text = bilingual(refusal.messageKey());
            throw switch (refusal.kind()) {
                case FORBIDDEN -> new AuthorizationException(text);
                case INVALID -> new FormFieldValidationException(DECISION, text);
                case STATE -> new ProcessEngineException(text);
            };
        });

        Instant now = Instant.now(clock);
        ReviewerDecision recorded = new ReviewerDecision(user, decision, comment, now);
        approvals.addDecision(approvalId, recorded);
        auditLog.record(user, decision == Decision.APPROVE ? "APPROVAL_APPROVED" : "APPROVAL_REJECTED", "approval",
            String.valueOf(approvalId), approval.workspace(), comment);

        List<ReviewerDecision> all = new ArrayList<>(earlier);
        all.add(recorded);
        ApprovalStatus outcome = DecisionRules.outcome(approval, all);
        if (outcome == ApprovalStatus.REJECTED) {
            task.getExecution().setVariable(OUTCOME_REASON, comment);
        }
        String state = outcome == null ? "NEEDS_MORE" : outcome.name();
        task.getExecution().setVariable(REVIEW_STATE, state);
        task.getExecution().setVariable(OUTCOME, state);
        // The form's fields must not carry over to the next reviewer's task.
        task.getExecution().removeVariable(DECISION);
        task.getExecution().removeVariable(COMMENT);
    }

    /** Engine errors reach Tasklist and /engine-rest without a locale: say it in both languages. */
    private String bilingual(String key) {
        return messages.getMessage(key, null, Locale.ENGLISH) + " / " + messages.getMessage(key, null, Locale.SIMPLIFIED_CHINESE);
    }
}
