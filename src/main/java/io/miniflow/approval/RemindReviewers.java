package io.miniflow.approval;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.Notifications;
import io.miniflow.workspace.WebhookTargets;
import io.miniflow.workspace.WorkspaceService;

/**
 * Reminds a workspace's reviewers of an application nobody has decided: a console notification, an audit-log entry
 * and, when the workspace set one, one POST to its webhook. A webhook that fails is written to the audit log, not
 * retried: a reminder is not worth an incident.
 */
@Component("remindReviewers")
class RemindReviewers implements JavaDelegate {

    private static final Logger log = LoggerFactory.getLogger(RemindReviewers.class);

    private final ApprovalRepository approvals;
    private final Notifications notifications;
    private final AuditLog auditLog;
    private final WorkspaceService workspaces;
    private final Clock clock;
    private final WebhookTargets webhookTargets;
    private final ObjectMapper json;
    private final Events events;

    RemindReviewers(ApprovalRepository approvals, Notifications notifications, AuditLog auditLog,
                    WorkspaceService workspaces, Clock clock, WebhookTargets webhookTargets, ObjectMapper json,
                    Events events) {
        this.approvals = approvals;
        this.notifications = notifications;
        this.auditLog = auditLog;
        this.workspaces = workspaces;
        this.clock = clock;
        this.webhookTargets = webhookTargets;
        this.json = json;
        this.events = events;
    }

    @Override
    public void execute(DelegateExecution execution) {
        Approval approval = approvals.findByProcessInstance(execution.getProcessInstanceId()).orElseThrow();
        long approvalId = approval.id();
        if (approval.status().isFinal()) {
            return;
        }
        String link = "/approvals/" + approvalId;
        notifications.notify(approval.workspace(), null,
            "Waiting for your review: " + approval.title() + " (" + approval.objectName() + ") by " + approval.applicant(),
            "待审批:" + approval.title() + "(" + approval.objectName() + "),申请人 " + approval.applicant(), link);
        approvals.markReminded(approvalId, Instant.now(clock));
        auditLog.record("system", "APPROVAL_REMINDED", "approval", String.valueOf(approvalId), approval.workspace(),
            approval.title());
        events.publish(approval.workspace(), EventType.APPROVAL_REMINDER, approval.title(), Events.data(
            "approvalId", approvalId, "category", approval.category().name(), "title", approval.title(),
            "objectName", approval.objectName(), "applicant", approval.applicant()), link);
        // The workspace's own reminder webhook (before subscriptions existed) keeps its one POST.
        workspaces.webhookUrl(approval.workspace()).ifPresent(url -> callWebhook(url, approval, link));
    }

    private void callWebhook(String url, Approval approval, String link) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "approval.reminder");
        body.put("approvalId", approval.id());
        body.put("workspace", approval.workspace());
        body.put("category", approval.category().name());
        body.put("title", approval.title());
        body.put("applicant", approval.applicant());
        body.put("link", link);
        String failure;
        try {
            // Checked again here, not only when the URL was set: the name may resolve elsewhere by now.
            int status = webhookTargets.post(url, json.writeValueAsString(body));
            // Redirects are not followed (they could lead to an internal address): a 3xx is a failure too.
            failure = status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (MiniflowException e) {
            failure = "refused (" + e.messageKey() + " " + java.util.Arrays.toString(e.args()) + ")";
        } catch (IOException e) {
            failure = e.getMessage();
        }
        if (failure != null) {
            log.warn("Reminder webhook {} of workspace {} failed: {}", url, approval.workspace(), failure);
            auditLog.record("system", "WEBHOOK_FAILED", "approval", String.valueOf(approval.id()), approval.workspace(),
                url + ": " + failure);
        }
    }
}
