package io.miniflow.approval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;
import org.camunda.bpm.engine.task.Task;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.StringUtils;

import io.miniflow.approval.ApprovalRepository.ApprovalQuery;
import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.EngineUser;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.ProtectedVariables;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceAccess;
import io.miniflow.workspace.WorkspaceService;

/**
 * Applications as the console and the API see them. Decisions go through the engine (the review task), so the
 * listener's rules hold on every path; the checks here only answer earlier and in the reader's language.
 */
@Service
public class ApprovalService {

    static final String REVIEW_TASK = "Task_Review";

    private final ApprovalRepository approvals;
    private final Reviewers reviewers;
    private final WorkspaceAccess access;
    private final WorkspaceService workspaces;
    private final RuntimeService runtimeService;
    private final TaskService taskService;
    private final EngineUser engineUser;
    private final TransactionTemplate transaction;

    ApprovalService(ApprovalRepository approvals, Reviewers reviewers, WorkspaceAccess access,
                    WorkspaceService workspaces, RuntimeService runtimeService, TaskService taskService,
                    EngineUser engineUser, PlatformTransactionManager transactions) {
        this.approvals = approvals;
        this.reviewers = reviewers;
        this.access = access;
        this.workspaces = workspaces;
        this.runtimeService = runtimeService;
        this.taskService = taskService;
        this.engineUser = engineUser;
        this.transaction = new TransactionTemplate(transactions);
    }

    public PageResult<Approval> list(CurrentUser user, String status, String category, String applicant, String text,
                                     PageRequest page) {
        List<String> reviewable = user.seesAllWorkspaces() ? null : workspaces.visibleTo(user).stream()
            .map(Workspace::name).filter(ws -> reviewers.isReviewer(user.username(), ws)).toList();
        return approvals.find(new ApprovalQuery(parseStatus(status), parseCategory(category), applicant, text,
            user.username(), reviewable), page);
    }

    /** The application with its decisions, if this user may see it (reviewers of its workspace, the applicant). */
    public ApprovalDetail get(CurrentUser user, long id) {
        Approval approval = approvals.findById(id)
            .orElseThrow(() -> MiniflowException.notFound("approval.notFound", id));
        boolean applicant = approval.applicant().equals(user.username());
        // Applicants too: one blocked from the workspace no longer reads its applications.
        access.requireMember(user, approval.workspace());
        boolean reviewer = reviewers.isReviewer(user.username(), approval.workspace());
        if (!applicant && !reviewer && !user.seesAllWorkspaces()) {
            throw MiniflowException.forbidden("approval.notVisible", id);
        }
        List<ReviewerDecision> decisions = approvals.decisions(id);
        boolean canDecide = DecisionRules.check(approval, decisions, user.username(), reviewer, Decision.APPROVE, "-")
            .isEmpty();
        boolean canWithdraw = applicant && approval.status() == ApprovalStatus.PENDING;
        return new ApprovalDetail(approval, decisions, canDecide, canWithdraw);
    }

    /** Starts review-approval for an application; it is registered before this returns. */
    public Approval apply(CurrentUser user, ApplicationRequest request) {
        access.requireMember(user, request.workspace());
        ApprovalCategory category = parseCategory(request.category());
        if (category == null) {
            throw MiniflowException.badRequest("approval.categoryRequired");
        }
        if (category == ApprovalCategory.REMOVAL) {
            // A removal applied for here would be approved and do nothing: it is filed where the removal happens
            // (a mini program's service page, an environment's online version), whose process acts once approved.
            throw MiniflowException.badRequest("approval.removalWhereItHappens");
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put(ApprovalVariables.WORKSPACE, request.workspace());
        vars.put(ApprovalVariables.CATEGORY, category.name());
        vars.put(ApprovalVariables.TITLE, request.title().trim());
        vars.put(ApprovalVariables.OBJECT_NAME, request.objectName().trim());
        vars.put(ApprovalVariables.OBJECT_VERSION, trimToNull(request.objectVersion()));
        vars.put(ApprovalVariables.ENVIRONMENT, trimToNull(request.environment()));
        vars.put(ApprovalVariables.APPLICANT, user.username());
        // People may not start review-approval themselves (they could name another applicant); Miniflow starts it
        // for the user Spring Security authenticated.
        String processInstanceId = ProtectedVariables.asMiniflow(() -> runtimeService
            .startProcessInstanceByKey(ApprovalVariables.PROCESS_KEY, vars).getId());
        return approvals.findByProcessInstance(processInstanceId).orElseThrow();
    }

    public ApprovalDetail decide(CurrentUser user, long id, String decisionText, String comment) {
        ApprovalDetail detail = get(user, id);
        Approval approval = detail.approval();
        Decision decision = DecisionRules.parse(decisionText);
        String cleanComment = StringUtils.hasText(comment) ? comment.trim() : null;
        DecisionRules.check(approval, detail.decisions(), user.username(),
                reviewers.isReviewer(user.username(), approval.workspace()), decision, cleanComment)
            .ifPresent(refusal -> {
                throw new MiniflowException(switch (refusal.kind()) {
                    case FORBIDDEN -> HttpStatus.FORBIDDEN;
                    case INVALID -> HttpStatus.BAD_REQUEST;
                    case STATE -> HttpStatus.CONFLICT;
                }, refusal.messageKey());
            });
        Task task = taskService.createTaskQuery().processInstanceId(approval.processInstanceId())
            .taskDefinitionKey(REVIEW_TASK).singleResult();
        if (task == null) {
            throw MiniflowException.conflict("approval.notPending");
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put(ApprovalVariables.DECISION, decision.name());
        vars.put(ApprovalVariables.COMMENT, cleanComment);
        try {
            // The decider takes the task first, so its history names them as its assignee, as deciding in Tasklist
            // does; both in one transaction, so a refused completion leaves the task as it was.
            transaction.executeWithoutResult(tx -> engineUser.run(user, () -> {
                if (!user.username().equals(task.getAssignee())) {
                    taskService.setAssignee(task.getId(), user.username());
                }
                taskService.complete(task.getId(), vars);
            }));
        } catch (ProcessEngineException e) {
            // The listener's refusal arrives wrapped by the engine; answer with what it said.
            Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
            if (cause instanceof AuthorizationException) {
                throw MiniflowException.forbidden("approval.engineRefused", cause.getMessage());
            }
            if (cause instanceof FormFieldValidationException) {
                throw MiniflowException.badRequest("approval.engineRefused", cause.getMessage());
            }
            throw e;
        }
        return get(user, id);
    }

    public ApprovalDetail withdraw(CurrentUser user, long id) {
        Approval approval = approvals.findById(id)
            .orElseThrow(() -> MiniflowException.notFound("approval.notFound", id));
        if (!approval.applicant().equals(user.username())) {
            throw MiniflowException.forbidden("approval.onlyApplicantWithdraws");
        }
        if (approval.status() != ApprovalStatus.PENDING) {
            throw MiniflowException.conflict("approval.notPending");
        }
        ProtectedVariables.asMiniflow(() -> runtimeService.createMessageCorrelation(ApprovalVariables.WITHDRAW_MESSAGE)
            .processInstanceId(approval.processInstanceId()).correlate());
        return get(user, id);
    }

    private static ApprovalStatus parseStatus(String raw) {
        if (!StringUtils.hasText(raw)) {
            return null;
        }
        try {
            return ApprovalStatus.valueOf(raw.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw MiniflowException.badRequest("approval.statusUnknown", raw);
        }
    }

    private static ApprovalCategory parseCategory(String raw) {
        if (!StringUtils.hasText(raw)) {
            return null;
        }
        try {
            return ApprovalCategory.valueOf(raw.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw MiniflowException.badRequest("approval.categoryUnknown", raw);
        }
    }

    private static String trimToNull(String s) {
        return StringUtils.hasText(s) ? s.trim() : null;
    }

    /** An application with its decisions and what the viewer may do with it. */
    public record ApprovalDetail(Approval approval, List<ReviewerDecision> decisions, boolean canDecide,
                                 boolean canWithdraw) {
    }

    /** A new application from the API or the console. */
    public record ApplicationRequest(
        @jakarta.validation.constraints.NotBlank(message = "{approval.workspace.required}")
        @jakarta.validation.constraints.Size(max = 64, message = "{error.reference.size}") String workspace,
        @jakarta.validation.constraints.NotBlank(message = "{approval.category.required}")
        @jakarta.validation.constraints.Size(max = 16, message = "{approval.category.pattern}") String category,
        @jakarta.validation.constraints.NotBlank(message = "{approval.title.required}")
        @jakarta.validation.constraints.Size(max = 200, message = "{approval.title.size}") String title,
        @jakarta.validation.constraints.NotBlank(message = "{approval.objectName.required}")
        @jakarta.validation.constraints.Size(max = 128, message = "{approval.objectName.size}") String objectName,
        @jakarta.validation.constraints.Size(max = 64, message = "{approval.objectVersion.size}") String objectVersion,
        @jakarta.validation.constraints.Size(max = 64, message = "{approval.environment.size}") String environment) {
    }
}
