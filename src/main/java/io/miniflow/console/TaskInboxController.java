package io.miniflow.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.EngineUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.WorkspaceService;

import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.form.TaskFormData;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * "My tasks": the Camunda user tasks this user may work on (assigned to them or offered to one of their
 * groups), with claim, release and complete. Engine commands run as the user, so Camunda's own rules
 * (authorizations, task listeners such as "no self-approval") apply exactly as in Tasklist.
 */
@Controller
class TaskInboxController {

    static final String VIEW_LIST = "tasks/list";
    static final String VIEW_DETAIL = "tasks/detail";

    private final TaskService taskService;
    private final FormService formService;
    private final EngineUser engineUser;
    private final ObjectMapper mapper;
    private final ConsoleText text;
    private final WorkspaceService workspaces;

    TaskInboxController(TaskService taskService, FormService formService, EngineUser engineUser, ObjectMapper mapper,
                        ConsoleText text, WorkspaceService workspaces) {
        this.taskService = taskService;
        this.formService = formService;
        this.engineUser = engineUser;
        this.mapper = mapper;
        this.text = text;
        this.workspaces = workspaces;
    }

    @GetMapping("/tasks")
    String list(Authentication auth, @RequestParam(required = false) Integer page, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        PageRequest request = PageRequest.of(page, null);
        TaskQuery query = visibleTasks(user);
        long total = query.count();
        List<Task> tasks = query.orderByTaskCreateTime().desc().listPage(request.offset(), request.size());
        model.addAttribute("tasks", new PageResult<>(tasks, request, total));
        // Say why the inbox is empty when the reason is that nobody can offer this user a task yet.
        model.addAttribute("inNoWorkspace", !user.seesAllWorkspaces() && workspaces.visibleTo(user).isEmpty());
        return VIEW_LIST;
    }

    @GetMapping("/tasks/{taskId}")
    String detail(Authentication auth, @PathVariable String taskId, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        Task task = requireVisible(user, taskId);
        model.addAttribute("task", task);
        model.addAttribute("form", formOf(task));
        model.addAttribute("variables", taskService.getVariables(taskId));
        model.addAttribute("mine", user.username().equals(task.getAssignee()));
        return VIEW_DETAIL;
    }

    @PostMapping("/tasks/{taskId}/claim")
    String claim(Authentication auth, @PathVariable String taskId, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        requireVisible(user, taskId);
        return engineAction(redirect, "/tasks/" + taskId, "task.claimed",
            () -> engineUser.run(user, () -> taskService.claim(taskId, user.username())));
    }

    @PostMapping("/tasks/{taskId}/unclaim")
    String unclaim(Authentication auth, @PathVariable String taskId, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        requireVisible(user, taskId);
        return engineAction(redirect, "/tasks/" + taskId, "task.released",
            () -> engineUser.run(user, () -> taskService.setAssignee(taskId, null)));
    }

    @PostMapping("/tasks/{taskId}/complete")
    String complete(Authentication auth, @PathVariable String taskId, @RequestParam Map<String, String> params,
                    RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        Task task = requireVisible(user, taskId);
        if (!user.username().equals(task.getAssignee())) {
            redirect.addFlashAttribute("error", text.of("task.claimFirst"));
            return "redirect:/tasks/" + taskId;
        }
        Map<String, Object> variables = new HashMap<>();
        CamundaForm form = formOf(task);
        if (form != null) {
            List<String> missing = form.toVariables(params, variables);
            if (!missing.isEmpty()) {
                redirect.addFlashAttribute("error", text.of("task.fieldsMissing", String.join(", ", missing)));
                return "redirect:/tasks/" + taskId;
            }
        }
        return engineAction(redirect, "/tasks", "task.completed",
            () -> engineUser.run(user, () -> taskService.complete(taskId, variables)));
    }

    private String engineAction(RedirectAttributes redirect, String target, String doneKey, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("message", text.of(doneKey));
        } catch (ProcessEngineException e) {
            // The engine refused (already claimed, not allowed, a listener said no): show its reason.
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:" + target;
    }

    private TaskQuery visibleTasks(CurrentUser user) {
        return visibleTasks(taskService, user);
    }

    /**
     * Tasks assigned to the user or offered to them or one of their groups. A user in no workspace may hold no
     * group at all, and Camunda refuses an empty candidate group list, so the group condition is then left out.
     */
    static TaskQuery visibleTasks(TaskService taskService, CurrentUser user) {
        TaskQuery query = taskService.createTaskQuery()
            .or()
                .taskAssignee(user.username())
                .taskCandidateUser(user.username());
        if (!user.groups().isEmpty()) {
            query.taskCandidateGroupIn(new ArrayList<>(user.groups()));
        }
        return query.endOr().active();
    }

    private Task requireVisible(CurrentUser user, String taskId) {
        Task task = visibleTasks(user).taskId(taskId).singleResult();
        if (task == null) {
            throw MiniflowException.notFound("task.notFound", taskId);
        }
        return task;
    }

    private CamundaForm formOf(Task task) {
        TaskFormData data = formService.getTaskFormData(task.getId());
        if (data == null) {
            return null; // a standalone task (e.g. created in Tasklist) has no form at all
        }
        boolean camundaForm = data.getCamundaFormRef() != null
            || (data.getFormKey() != null && data.getFormKey().startsWith("camunda-forms:"));
        if (!camundaForm) {
            return null;
        }
        try (InputStream json = formService.getDeployedTaskForm(task.getId())) {
            return CamundaForm.parse(json, mapper);
        } catch (IOException e) {
            throw new IllegalStateException("form of task " + task.getId() + " is not readable", e);
        }
    }

}
