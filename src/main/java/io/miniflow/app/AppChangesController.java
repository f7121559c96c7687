package io.miniflow.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

import io.miniflow.app.AppEditRequests.AppEngine;
import io.miniflow.app.AppEditRequests.AppName;
import io.miniflow.app.AppEditRequests.AppPackages;
import io.miniflow.app.AppEditRequests.EditEnvironment;
import io.miniflow.app.AppService.AppView;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import jakarta.validation.Valid;

/**
 * Console pages that change an app (seed 000: 更改引擎 / 更改组件 / 更改业务环境 / 更改名称) and delete it or one of its
 * environments. A change that stops something from working (a lower engine, a dropped package) and every delete go
 * through a confirmation page first.
 */
@Controller
class AppChangesController {

    /** Refusals that a confirmation answers: the confirmation page posts the same change again with confirm=true. */
    private static final Set<String> CONFIRMABLE = Set.of("app.engine.confirmDowngrade", "app.packages.confirmRemoval");

    private final AppChanges changes;
    private final AppService apps;
    private final ConsoleText text;

    AppChangesController(AppChanges changes, AppService apps, ConsoleText text) {
        this.changes = changes;
        this.apps = apps;
        this.text = text;
    }

    @GetMapping("/apps/{appCode}/edit")
    String edit(Authentication auth, @PathVariable String appCode, Model model) {
        AppView view = apps.app(CurrentUser.from(auth), appCode);
        App app = view.app();
        model.addAttribute("nameForm", new AppName(app.name(), app.description()));
        model.addAttribute("engineForm", new AppEngine(app.engineVersion(), false));
        return editPage(model, CurrentUser.from(auth), view);
    }

    @PostMapping("/apps/{appCode}/name")
    String rename(Authentication auth, @PathVariable String appCode, @Valid @ModelAttribute("nameForm") AppName form,
                  BindingResult errors, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!errors.hasErrors()) {
            try {
                changes.rename(user, appCode, form);
                redirect.addFlashAttribute("message", text.of("appEdit.renamed", form.name()));
                return "redirect:" + ResourcesController.path("/apps/{a}", appCode);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        AppView view = apps.app(user, appCode);
        model.addAttribute("engineForm", new AppEngine(view.app().engineVersion(), false));
        return editPage(model, user, view);
    }

    @PostMapping("/apps/{appCode}/engine")
    String changeEngine(Authentication auth, @PathVariable String appCode,
                        @Valid @ModelAttribute("engineForm") AppEngine form, BindingResult errors, Model model,
                        RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!errors.hasErrors()) {
            try {
                changes.changeEngine(user, appCode, form);
                redirect.addFlashAttribute("message", text.of("appEdit.engineChanged", form.engineVersion()));
                return "redirect:" + ResourcesController.path("/apps/{a}", appCode);
            } catch (MiniflowException e) {
                if (CONFIRMABLE.contains(e.messageKey())) {
                    return ResourcesController.confirm(model, text.of(e),
                        ResourcesController.path("/apps/{a}/engine", appCode),
                        Map.of("engineVersion", form.engineVersion(), "confirm", "true"),
                        ResourcesController.path("/apps/{a}/edit", appCode));
                }
                model.addAttribute("error", text.of(e));
            }
        }
        AppView view = apps.app(user, appCode);
        model.addAttribute("nameForm", new AppName(view.app().name(), view.app().description()));
        return editPage(model, user, view);
    }

    /** The packages come as ticked boxes (name@version); none ticked removes them all. */
    @PostMapping("/apps/{appCode}/packages")
    String changePackages(Authentication auth, @PathVariable String appCode,
                          @RequestParam(name = "packages", required = false) List<String> packages,
                          @RequestParam(defaultValue = "false") boolean confirm, Model model,
                          RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        List<String> refs = packages == null ? List.of() : packages;
        try {
            changes.changePackages(user, appCode, new AppPackages(refs, confirm));
            redirect.addFlashAttribute("message", text.of("appEdit.packagesChanged"));
            return "redirect:" + ResourcesController.path("/apps/{a}", appCode);
        } catch (MiniflowException e) {
            if (CONFIRMABLE.contains(e.messageKey())) {
                model.addAttribute("confirm", new ResourcesController.Confirm(null, text.of(e),
                    ResourcesController.path("/apps/{a}/packages", appCode), Map.of("confirm", "true"),
                    ResourcesController.path("/apps/{a}/edit", appCode)));
                model.addAttribute("multiName", "packages");
                model.addAttribute("multiValues", refs);
                return ResourcesController.CONFIRM_VIEW;
            }
            redirect.addFlashAttribute("error", text.of(e));
            return "redirect:" + ResourcesController.path("/apps/{a}/edit", appCode);
        }
    }

    private String editPage(Model model, CurrentUser user, AppView view) {
        model.addAttribute("view", view);
        model.addAttribute("allPackages", apps.configs(user, view.app().workspace()).packages());
        model.addAttribute("linked", view.packages().stream().map(p -> p.name() + "@" + p.version()).toList());
        return "apps/edit";
    }

    @GetMapping("/apps/{appCode}/delete")
    String confirmDelete(Authentication auth, @PathVariable String appCode, Model model) {
        apps.app(CurrentUser.from(auth), appCode);
        return ResourcesController.confirm(model, text.of("appEdit.confirmDelete", appCode),
            ResourcesController.path("/apps/{a}/delete", appCode), Map.of(),
            ResourcesController.path("/apps/{a}", appCode));
    }

    @PostMapping("/apps/{appCode}/delete")
    String delete(Authentication auth, @PathVariable String appCode, RedirectAttributes redirect) {
        try {
            changes.deleteApp(CurrentUser.from(auth), appCode);
            redirect.addFlashAttribute("message", text.of("appEdit.deleted", appCode));
            return "redirect:/apps";
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
            return "redirect:" + ResourcesController.path("/apps/{a}", appCode);
        }
    }

    // --- environments

    @GetMapping("/apps/{appCode}/environments/{envCode}/edit")
    String editEnvironment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                           Model model) {
        CurrentUser user = CurrentUser.from(auth);
        AppEnvironment env = apps.environment(user, appCode, envCode).environment();
        model.addAttribute("form", new EditEnvironment(env.name(), env.domain(), env.apiDomain(), env.deployConfig(),
            env.storageConfig(), env.requiresApproval(), env.requiredApprovals()));
        return environmentForm(model, user, appCode, envCode);
    }

    @PostMapping("/apps/{appCode}/environments/{envCode}/edit")
    String updateEnvironment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                             @Valid @ModelAttribute("form") EditEnvironment form, BindingResult errors, Model model,
                             RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!errors.hasErrors()) {
            try {
                changes.updateEnvironment(user, appCode, envCode, form);
                redirect.addFlashAttribute("message", text.of("appEdit.environmentSaved", envCode));
                return "redirect:" + ResourcesController.path("/apps/{a}/environments/{e}", appCode, envCode);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        return environmentForm(model, user, appCode, envCode);
    }

    private String environmentForm(Model model, CurrentUser user, String appCode, String envCode) {
        AppService.EnvironmentView view = apps.environment(user, appCode, envCode);
        model.addAttribute("view", view);
        AppService.Configs configs = apps.configs(user, view.app().workspace());
        model.addAttribute("deployConfigs", configs.deployConfigs());
        model.addAttribute("storageConfigs", configs.storageConfigs());
        return "apps/environment-edit";
    }

    @GetMapping("/apps/{appCode}/environments/{envCode}/delete")
    String confirmDeleteEnvironment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                                    Model model) {
        apps.environment(CurrentUser.from(auth), appCode, envCode);
        return ResourcesController.confirm(model, text.of("appEdit.confirmDeleteEnvironment", envCode, appCode),
            ResourcesController.path("/apps/{a}/environments/{e}/delete", appCode, envCode), new LinkedHashMap<>(),
            ResourcesController.path("/apps/{a}", appCode));
    }

    @PostMapping("/apps/{appCode}/environments/{envCode}/delete")
    String deleteEnvironment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                             RedirectAttributes redirect) {
        try {
            changes.deleteEnvironment(CurrentUser.from(auth), appCode, envCode);
            redirect.addFlashAttribute("message", text.of("appEdit.environmentDeleted", envCode));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:" + ResourcesController.path("/apps/{a}", appCode);
    }
}
