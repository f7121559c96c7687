package io.miniflow.app;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.app.AppRequests.NewApp;
import io.miniflow.app.AppRequests.NewDeployConfig;
import io.miniflow.app.AppRequests.NewEnvironment;
import io.miniflow.app.AppRequests.PublishRequest;
import io.miniflow.app.AppService.EnvironmentView;
import io.miniflow.app.AppService.PublishStarted;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceService;
import jakarta.validation.Valid;

/**
 * Console pages of apps: list and search, create, an app with its environments, an environment's versions
 * (the versions table) with the publish form, a publish's live progress, and the workspace's deploy configs.
 */
@Controller
class AppController {

    private final AppService apps;
    private final AppChanges changes;
    private final WorkspaceService workspaces;
    private final ConsoleText text;

    AppController(AppService apps, AppChanges changes, WorkspaceService workspaces, ConsoleText text) {
        this.apps = apps;
        this.changes = changes;
        this.workspaces = workspaces;
        this.text = text;
    }

    @GetMapping("/apps")
    String list(Authentication auth, @RequestParam(required = false) String q,
                @RequestParam(required = false) Integer page, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        List<App> all = apps.visibleApps(user, q);
        PageRequest request = PageRequest.of(page, null);
        PageResult<App> result = new PageResult<>(all.stream().skip(request.offset()).limit(request.size()).toList(),
            request, all.size());
        model.addAttribute("apps", result.items());
        model.addAttribute("result", result);
        model.addAttribute("workspaces", workspaceNames(user));
        return "apps/list";
    }

    @GetMapping("/apps/new")
    String newApp(Authentication auth, Model model) {
        model.addAttribute("form", new NewApp(null, null, null, null, "1.0.0", null));
        model.addAttribute("workspaces", workspaceNames(CurrentUser.from(auth)));
        return "apps/form";
    }

    @PostMapping("/apps")
    String create(Authentication auth, @Valid @ModelAttribute("form") NewApp form, BindingResult errors, Model model,
                  RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!errors.hasErrors()) {
            try {
                App app = apps.createApp(user, form);
                redirect.addFlashAttribute("message", text.of("apps.createdFlash", app.appCode()));
                return "redirect:/apps/" + app.appCode();
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        model.addAttribute("workspaces", workspaceNames(user));
        return "apps/form";
    }

    @GetMapping("/apps/{appCode}")
    String app(Authentication auth, @PathVariable String appCode, Model model) {
        model.addAttribute("view", apps.app(CurrentUser.from(auth), appCode));
        return "apps/detail";
    }

    @GetMapping("/apps/{appCode}/environments/new")
    String newEnvironment(Authentication auth, @PathVariable String appCode, Model model) {
        model.addAttribute("view", apps.app(CurrentUser.from(auth), appCode));
        model.addAttribute("form", new NewEnvironment(null, null, "https://", "https://", null, null, false, 1));
        return "apps/environment-form";
    }

    @PostMapping("/apps/{appCode}/environments")
    String createEnvironment(Authentication auth, @PathVariable String appCode,
                             @Valid @ModelAttribute("form") NewEnvironment form, BindingResult errors, Model model,
                             RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!errors.hasErrors()) {
            try {
                apps.createEnvironment(user, appCode, form);
                redirect.addFlashAttribute("message", text.of("apps.environmentCreated", form.envCode()));
                return "redirect:/apps/" + appCode;
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        model.addAttribute("view", apps.app(user, appCode));
        return "apps/environment-form";
    }

    @GetMapping("/apps/{appCode}/environments/{envCode}")
    String environment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode, Model model) {
        EnvironmentView view = apps.environment(CurrentUser.from(auth), appCode, envCode);
        model.addAttribute("view", view);
        model.addAttribute("environments", apps.app(CurrentUser.from(auth), appCode).environments());
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new PublishRequest(null, null));
        }
        return "apps/environment";
    }

    @PostMapping("/apps/{appCode}/environments/{envCode}/publishes")
    String publish(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                   @Valid @ModelAttribute("form") PublishRequest form, BindingResult errors, Model model,
                   RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!errors.hasErrors()) {
            try {
                PublishStarted started = apps.publish(user, appCode, envCode, form);
                return "redirect:/apps/" + appCode + "/environments/" + envCode + "/publishes/"
                    + started.processInstanceId();
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        model.addAttribute("view", apps.environment(user, appCode, envCode));
        model.addAttribute("environments", apps.app(user, appCode).environments());
        return "apps/environment";
    }

    @GetMapping("/apps/{appCode}/environments/{envCode}/publishes/{processInstanceId}")
    String publishStatus(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                         @PathVariable String processInstanceId, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("view", apps.environment(user, appCode, envCode));
        model.addAttribute("status", apps.publishStatus(user, appCode, envCode, processInstanceId, 0));
        model.addAttribute("statusUrl", AppService.statusUrl(appCode, envCode, processInstanceId));
        return "apps/publish";
    }

    @PostMapping("/apps/{appCode}/environments/{envCode}/versions/{version}/delete")
    String deleteVersion(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                         @PathVariable String version, RedirectAttributes redirect) {
        try {
            apps.deleteVersion(CurrentUser.from(auth), appCode, envCode, version);
            redirect.addFlashAttribute("message", text.of("apps.versionDeleted", version));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/apps/" + appCode + "/environments/" + envCode;
    }

    @GetMapping("/apps/configs")
    String configs(Authentication auth, @RequestParam(required = false) String workspace,
                   @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                   Model model) {
        CurrentUser user = CurrentUser.from(auth);
        var visible = workspaceNames(user);
        String ws = workspace != null ? workspace : visible.isEmpty() ? null : visible.get(0);
        model.addAttribute("workspaces", visible);
        model.addAttribute("workspace", ws);
        if (ws != null) {
            model.addAttribute("configs", apps.configs(user, ws));
            model.addAttribute("result", changes.deployConfigs(user, ws, q, PageRequest.of(page, null)));
            model.addAttribute("canEdit", changes.canEdit(user, ws));
        }
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NewDeployConfig(ws, null, "aliyun", "/", "https://", "/", null));
        }
        return "apps/configs";
    }

    @PostMapping("/apps/configs/deploy")
    String createDeployConfig(Authentication auth, @Valid @ModelAttribute("form") NewDeployConfig form,
                              BindingResult errors, RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            redirect.addFlashAttribute("org.springframework.validation.BindingResult.form", errors);
            redirect.addFlashAttribute("form", form);
        } else {
            try {
                apps.createDeployConfig(CurrentUser.from(auth), form);
                redirect.addFlashAttribute("message", text.of("apps.configCreated", form.name()));
            } catch (MiniflowException e) {
                redirect.addFlashAttribute("error", text.of(e));
                redirect.addFlashAttribute("form", form);
            }
        }
        return "redirect:/apps/configs?workspace=" + form.workspace();
    }

    private List<String> workspaceNames(CurrentUser user) {
        return workspaces.visibleTo(user).stream().map(Workspace::name).toList();
    }
}
