package io.miniflow.console;

import io.miniflow.identity.CurrentUser;
import io.miniflow.approval.Reviewers;
import io.miniflow.shared.Notifications;
import io.miniflow.workspace.WorkspaceAccess;
import io.miniflow.workspace.WorkspaceService;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Login page, dashboard, and the sections whose processes are not built yet (they say so plainly). */
@Controller
class ConsoleController {

    static final String VIEW_LOGIN = "login";
    static final String VIEW_DASHBOARD = "dashboard";

    private final WorkspaceService workspaces;
    private final TaskService taskService;
    private final RuntimeService runtimeService;
    private final HistoryService historyService;
    private final Notifications notifications;
    private final WorkspaceAccess workspaceAccess;

    ConsoleController(WorkspaceService workspaces, TaskService taskService, RuntimeService runtimeService,
                      HistoryService historyService, Notifications notifications, WorkspaceAccess workspaceAccess) {
        this.workspaces = workspaces;
        this.taskService = taskService;
        this.runtimeService = runtimeService;
        this.historyService = historyService;
        this.notifications = notifications;
        this.workspaceAccess = workspaceAccess;
    }

    @GetMapping("/login")
    String login() {
        return VIEW_LOGIN;
    }

    @GetMapping("/")
    String dashboard(Authentication auth, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("workspaces", workspaces.visibleTo(user));
        model.addAttribute("openTasks", TaskInboxController.visibleTasks(taskService, user).count());
        model.addAttribute("incidents", user.seesAllWorkspaces()
            ? runtimeService.createIncidentQuery().count() : null);
        // Reminders of pending applications go to the workspaces this user reviews.
        java.util.List<String> reviewed = workspaces.visibleTo(user).stream().map(w -> w.name())
            .filter(ws -> Reviewers.groupsOf(ws).stream().anyMatch(user::has))
            .toList();
        model.addAttribute("notifications", notifications.latestFor(user.username(), reviewed, 10));
        // Started by this user, in workspaces they still belong to.
        model.addAttribute("recent", ProcessInstanceController.visibleTo(
                historyService.createHistoricProcessInstanceQuery().startedBy(user.username()),
                workspaceAccess.visibleWorkspaces(user), user.username())
            .orderByProcessInstanceStartTime().desc().listPage(0, 5));
        return VIEW_DASHBOARD;
    }
}
