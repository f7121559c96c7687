package io.miniflow.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.ActivityNames;
import io.miniflow.shared.ProcessDiagrams;
import io.miniflow.workspace.WorkspaceAccess;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricProcessInstanceQuery;
import org.camunda.bpm.engine.runtime.Incident;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * Where each process stands: the list of process instances this user may see, and one instance drawn with
 * bpmn-js, its current activities highlighted and its activity history beside it.
 */
@Controller
class ProcessInstanceController {

    static final String VIEW_LIST = "processes/list";
    static final String VIEW_DETAIL = "processes/detail";

    private final HistoryService historyService;
    private final RuntimeService runtimeService;
    private final RepositoryService repositoryService;
    private final WorkspaceAccess workspaceAccess;
    private final ProcessDiagrams diagrams;
    private final ActivityNames activityNames;

    ProcessInstanceController(HistoryService historyService, RuntimeService runtimeService,
                              RepositoryService repositoryService, WorkspaceAccess workspaceAccess,
                              ProcessDiagrams diagrams, ActivityNames activityNames) {
        this.historyService = historyService;
        this.runtimeService = runtimeService;
        this.repositoryService = repositoryService;
        this.workspaceAccess = workspaceAccess;
        this.diagrams = diagrams;
        this.activityNames = activityNames;
    }

    @GetMapping("/processes")
    String list(Authentication auth, @RequestParam(required = false) Integer page,
                @RequestParam(required = false) String key, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        PageRequest request = PageRequest.of(page, null);
        HistoricProcessInstanceQuery query = historyService.createHistoricProcessInstanceQuery();
        visibleTo(query, workspaceAccess.visibleWorkspaces(user), user.username());
        if (key != null && !key.isBlank()) {
            query.processDefinitionKey(key.trim());
        }
        long total = query.count();
        List<HistoricProcessInstance> rows = query.orderByProcessInstanceStartTime().desc()
            .listPage(request.offset(), request.size());
        model.addAttribute("instances", new PageResult<>(rows, request, total));
        model.addAttribute("key", key);
        return VIEW_LIST;
    }

    static final int HISTORY_SHOWN = 200;

    @GetMapping("/processes/{id}")
    String detail(Authentication auth, @PathVariable String id, Model model) {
        HistoricProcessInstance instance = requireVisible(CurrentUser.from(auth), id);
        boolean running = instance.getEndTime() == null;
        // A batch over thousands of mini programs has hundreds of thousands of steps: show the first ones and say so.
        long historySize = historyService.createHistoricActivityInstanceQuery().processInstanceId(id).count();
        List<HistoricActivityInstance> history = historyService.createHistoricActivityInstanceQuery()
            .processInstanceId(id).orderByHistoricActivityInstanceStartTime().asc()
            .orderPartiallyByOccurrence().asc().listPage(0, HISTORY_SHOWN);
        List<Incident> incidents = runtimeService.createIncidentQuery().processInstanceId(id).list();
        model.addAttribute("instance", instance);
        model.addAttribute("running", running);
        model.addAttribute("diagram", diagrams.of(id));
        model.addAttribute("incidents", incidents);
        model.addAttribute("history", history);
        model.addAttribute("historySize", historySize);
        return VIEW_DETAIL;
    }

    /** The models' element names in the reader's language, for Miniflow's Cockpit plugin (the same login). */
    @GetMapping(value = "/processes/activity-names", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    Map<String, String> activityNames(Locale locale) {
        return activityNames.all(locale);
    }

    /** The instance's model, its names in the reader's language. */
    @GetMapping(value = "/processes/{id}/diagram.bpmn", produces = MediaType.APPLICATION_XML_VALUE)
    ResponseEntity<String> diagram(Authentication auth, @PathVariable String id, Locale locale) throws IOException {
        HistoricProcessInstance instance = requireVisible(CurrentUser.from(auth), id);
        try (InputStream xml = repositoryService.getProcessModel(instance.getProcessDefinitionId())) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
                .body(activityNames.translate(xml, locale));
        }
    }

    /**
     * Restricts a query to the processes of the given workspaces ({@code null}: all), and processes without a
     * workspace that the user started. Every Miniflow process belongs to a workspace (WorkspaceTenantIdProvider);
     * Camunda's query has no "(A) or (B and C)", so processes without one appear only to users in no workspace.
     */
    static HistoricProcessInstanceQuery visibleTo(HistoricProcessInstanceQuery query, List<String> workspaces,
                                                  String username) {
        if (workspaces == null) {
            return query;
        }
        return workspaces.isEmpty() ? query.startedBy(username).withoutTenantId()
            : query.tenantIdIn(workspaces.toArray(String[]::new));
    }

    private HistoricProcessInstance requireVisible(CurrentUser user, String id) {
        HistoricProcessInstance instance = historyService.createHistoricProcessInstanceQuery()
            .processInstanceId(id).singleResult();
        if (instance == null) {
            throw MiniflowException.notFound("process.notFound", id);
        }
        List<String> workspaces = workspaceAccess.visibleWorkspaces(user);
        // A workspace's process is read by its active members, not by whoever started it once: a blocked or
        // removed member started it while they belonged.
        boolean visible = workspaces == null || (instance.getTenantId() != null
            ? workspaces.contains(instance.getTenantId())
            : user.username().equals(instance.getStartUserId()));
        if (!visible) {
            throw MiniflowException.forbidden("process.forbidden", id);
        }
        return instance;
    }
}
