package io.miniflow.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
import org.springframework.web.util.UriComponentsBuilder;

import io.miniflow.app.AppEditRequests.EditComponent;
import io.miniflow.app.AppEditRequests.EditDeployConfig;
import io.miniflow.app.AppEditRequests.EditPackage;
import io.miniflow.app.AppEditRequests.EditStorageConfig;
import io.miniflow.app.AppEditRequests.GroupRequest;
import io.miniflow.app.AppRequests.NewPackage;
import io.miniflow.app.AppRequests.NewStorageConfig;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceService;
import jakarta.validation.Valid;

/**
 * Console pages of a workspace's resources (seed 000 §1.2): deploy configs (edit, delete), file-storage configs,
 * component packages with their components, and component groups: each list searched and paged, each change a form,
 * each delete behind a confirmation page.
 */
@Controller
class ResourcesController {

    static final String CONFIRM_VIEW = "apps/confirm";

    private final AppChanges changes;
    private final AppService apps;
    private final WorkspaceService workspaces;
    private final ConsoleText text;
    private final jakarta.validation.Validator validator;

    ResourcesController(AppChanges changes, AppService apps, WorkspaceService workspaces, ConsoleText text,
                        jakarta.validation.Validator validator) {
        this.changes = changes;
        this.validator = validator;
        this.apps = apps;
        this.workspaces = workspaces;
        this.text = text;
    }

    /** A confirmation page: what happens, where the confirmed form posts (with its hidden fields) and the way back. */
    record Confirm(String title, String message, String action, Map<String, String> fields, String cancel) {
    }

    static String path(String template, Object... vars) {
        return UriComponentsBuilder.fromUriString(template).buildAndExpand(vars).encode().toUriString();
    }

    // --- deploy configs

    @GetMapping("/apps/configs/{workspace}/deploy/{name}/edit")
    String editDeployConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                            Model model) {
        DeployConfig c = changes.deployConfig(CurrentUser.from(auth), workspace, name);
        model.addAttribute("form", new EditDeployConfig(c.name(), c.cloudVendor(), c.deployPath(), c.deployDomain(),
            c.accessPath(), c.note()));
        return deployForm(model, workspace, name);
    }

    @PostMapping("/apps/configs/{workspace}/deploy/{name}/edit")
    String updateDeployConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                              @Valid @ModelAttribute("form") EditDeployConfig form, BindingResult errors, Model model,
                              RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        changes.deployConfig(user, workspace, name);
        if (!errors.hasErrors()) {
            try {
                changes.updateDeployConfig(user, workspace, name, form);
                redirect.addFlashAttribute("message", text.of("resources.saved", form.name()));
                return "redirect:" + path("/apps/configs?workspace={w}", workspace);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        return deployForm(model, workspace, name);
    }

    private String deployForm(Model model, String workspace, String name) {
        model.addAttribute("workspace", workspace);
        model.addAttribute("original", name);
        return "apps/deploy-config-form";
    }

    @GetMapping("/apps/configs/{workspace}/deploy/{name}/delete")
    String confirmDeleteDeployConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                     Model model) {
        changes.deployConfig(CurrentUser.from(auth), workspace, name);
        return confirm(model, text.of("resources.deleteDeployConfig", name),
            path("/apps/configs/{w}/deploy/{n}/delete", workspace, name), path("/apps/configs?workspace={w}", workspace));
    }

    @PostMapping("/apps/configs/{workspace}/deploy/{name}/delete")
    String deleteDeployConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                              RedirectAttributes redirect) {
        act(redirect, () -> changes.deleteDeployConfig(CurrentUser.from(auth), workspace, name), "resources.deleted", name);
        return "redirect:" + path("/apps/configs?workspace={w}", workspace);
    }

    // --- storage configs

    @GetMapping("/apps/storage-configs")
    String storageConfigs(Authentication auth, @RequestParam(required = false) String workspace,
                          @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                          Model model) {
        CurrentUser user = CurrentUser.from(auth);
        String ws = chooseWorkspace(user, workspace, model);
        if (ws != null) {
            model.addAttribute("result", changes.storageConfigs(user, ws, q, PageRequest.of(page, null)));
            model.addAttribute("canEdit", changes.canEdit(user, ws));
        }
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NewStorageConfig(ws, null, "aliyun-oss", null, null, "https://", null));
        }
        return "apps/storage-configs";
    }

    @PostMapping("/apps/storage-configs")
    String createStorageConfig(Authentication auth, @Valid @ModelAttribute("form") NewStorageConfig form,
                               BindingResult errors, RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            redirect.addFlashAttribute("org.springframework.validation.BindingResult.form", errors);
            redirect.addFlashAttribute("form", form);
        } else {
            try {
                apps.createStorageConfig(CurrentUser.from(auth), form);
                redirect.addFlashAttribute("message", text.of("apps.configCreated", form.name()));
            } catch (MiniflowException e) {
                redirect.addFlashAttribute("error", text.of(e));
                redirect.addFlashAttribute("form", form);
            }
        }
        return "redirect:" + path("/apps/storage-configs?workspace={w}", form.workspace() == null ? "" : form.workspace());
    }

    @GetMapping("/apps/storage-configs/{workspace}/{name}/edit")
    String editStorageConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                             Model model) {
        StorageConfig c = changes.storageConfig(CurrentUser.from(auth), workspace, name);
        model.addAttribute("form", new EditStorageConfig(c.name(), c.vendor(), c.bucket(), c.region(), c.baseUrl(),
            c.note()));
        return storageForm(model, workspace, name);
    }

    @PostMapping("/apps/storage-configs/{workspace}/{name}/edit")
    String updateStorageConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                               @Valid @ModelAttribute("form") EditStorageConfig form, BindingResult errors, Model model,
                               RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        changes.storageConfig(user, workspace, name);
        if (!errors.hasErrors()) {
            try {
                changes.updateStorageConfig(user, workspace, name, form);
                redirect.addFlashAttribute("message", text.of("resources.saved", form.name()));
                return "redirect:" + path("/apps/storage-configs?workspace={w}", workspace);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        return storageForm(model, workspace, name);
    }

    private String storageForm(Model model, String workspace, String name) {
        model.addAttribute("workspace", workspace);
        model.addAttribute("original", name);
        return "apps/storage-config-form";
    }

    @GetMapping("/apps/storage-configs/{workspace}/{name}/delete")
    String confirmDeleteStorageConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                      Model model) {
        changes.storageConfig(CurrentUser.from(auth), workspace, name);
        return confirm(model, text.of("resources.deleteStorageConfig", name),
            path("/apps/storage-configs/{w}/{n}/delete", workspace, name),
            path("/apps/storage-configs?workspace={w}", workspace));
    }

    @PostMapping("/apps/storage-configs/{workspace}/{name}/delete")
    String deleteStorageConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                               RedirectAttributes redirect) {
        act(redirect, () -> changes.deleteStorageConfig(CurrentUser.from(auth), workspace, name), "resources.deleted",
            name);
        return "redirect:" + path("/apps/storage-configs?workspace={w}", workspace);
    }

    // --- component packages

    @GetMapping("/apps/component-packages")
    String packages(Authentication auth, @RequestParam(required = false) String workspace,
                    @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                    Model model) {
        CurrentUser user = CurrentUser.from(auth);
        String ws = chooseWorkspace(user, workspace, model);
        if (ws != null) {
            model.addAttribute("result", changes.packages(user, ws, q, PageRequest.of(page, null)));
            model.addAttribute("canEdit", changes.canEdit(user, ws));
        }
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new NewPackage(ws, null, "1.0.0", null, "https://", List.of()));
        }
        return "apps/packages";
    }

    /** Registers a package; its components are listed one per line as "name" or "name: description". */
    @PostMapping("/apps/component-packages")
    String registerPackage(Authentication auth, @RequestParam(required = false) String workspace,
                           @RequestParam(required = false) String name, @RequestParam(required = false) String version,
                           @RequestParam(required = false) String description,
                           @RequestParam(required = false) String repositoryUrl,
                           @RequestParam(required = false) String componentLines, RedirectAttributes redirect) {
        List<AppRequests.NewComponent> components = componentLines == null ? List.of()
            : componentLines.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> {
                int colon = l.indexOf(':');
                return colon < 0 ? new AppRequests.NewComponent(l, null)
                    : new AppRequests.NewComponent(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
            }).toList();
        NewPackage form = new NewPackage(workspace, name, version, description, repositoryUrl, components);
        var violations = validator.validate(form);
        if (!violations.isEmpty()) {
            redirect.addFlashAttribute("error", violations.iterator().next().getMessage());
            redirect.addFlashAttribute("form", form);
        } else {
            try {
                apps.createPackage(CurrentUser.from(auth), form);
                redirect.addFlashAttribute("message", text.of("resources.registered", name + "@" + version));
            } catch (MiniflowException e) {
                redirect.addFlashAttribute("error", text.of(e));
                redirect.addFlashAttribute("form", form);
            }
        }
        return "redirect:" + path("/apps/component-packages?workspace={w}", workspace == null ? "" : workspace);
    }

    @GetMapping("/apps/component-packages/{workspace}/{name}/{version}")
    String componentPackage(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                            @PathVariable String version, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        ComponentPackage p = changes.componentPackage(user, workspace, name, version);
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new EditPackage(p.repositoryUrl(), p.description()));
        }
        return packagePage(model, user, p);
    }

    @PostMapping("/apps/component-packages/{workspace}/{name}/{version}")
    String updatePackage(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                         @PathVariable String version, @Valid @ModelAttribute("form") EditPackage form,
                         BindingResult errors, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        ComponentPackage p = changes.componentPackage(user, workspace, name, version);
        if (!errors.hasErrors()) {
            try {
                changes.updatePackage(user, workspace, name, version, form);
                redirect.addFlashAttribute("message", text.of("resources.saved", name + "@" + version));
                return "redirect:" + path("/apps/component-packages/{w}/{n}/{v}", workspace, name, version);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        return packagePage(model, user, p);
    }

    private String packagePage(Model model, CurrentUser user, ComponentPackage p) {
        model.addAttribute("pkg", p);
        model.addAttribute("usedBy", changes.appsUsing(user, p));
        model.addAttribute("canEdit", changes.canEdit(user, p.workspace()));
        return "apps/package";
    }

    @GetMapping("/apps/component-packages/{workspace}/{name}/{version}/delete")
    String confirmDeletePackage(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                @PathVariable String version, Model model) {
        changes.componentPackage(CurrentUser.from(auth), workspace, name, version);
        return confirm(model, text.of("resources.deletePackage", name + "@" + version),
            path("/apps/component-packages/{w}/{n}/{v}/delete", workspace, name, version),
            path("/apps/component-packages/{w}/{n}/{v}", workspace, name, version));
    }

    @PostMapping("/apps/component-packages/{workspace}/{name}/{version}/delete")
    String deletePackage(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                         @PathVariable String version, RedirectAttributes redirect) {
        if (act(redirect, () -> changes.deletePackage(CurrentUser.from(auth), workspace, name, version),
            "resources.deleted", name + "@" + version)) {
            return "redirect:" + path("/apps/component-packages?workspace={w}", workspace);
        }
        return "redirect:" + path("/apps/component-packages/{w}/{n}/{v}", workspace, name, version);
    }

    @GetMapping("/apps/component-packages/{workspace}/{name}/{version}/components/{component}/edit")
    String editComponent(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                         @PathVariable String version, @PathVariable String component, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        ComponentPackage p = changes.componentPackage(user, workspace, name, version);
        ComponentPackage.Component c = p.components().stream().filter(x -> x.name().equals(component)).findFirst()
            .orElseThrow(() -> MiniflowException.notFound("app.component.notFound", component, name + "@" + version));
        model.addAttribute("form", new EditComponent(c.name(), c.title(), c.icon(), c.description(), c.group()));
        return componentForm(model, user, p, component);
    }

    @PostMapping("/apps/component-packages/{workspace}/{name}/{version}/components/{component}/edit")
    String updateComponent(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                           @PathVariable String version, @PathVariable String component,
                           @Valid @ModelAttribute("form") EditComponent form, BindingResult errors, Model model,
                           RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        ComponentPackage p = changes.componentPackage(user, workspace, name, version);
        if (!errors.hasErrors()) {
            try {
                changes.updateComponent(user, workspace, name, version, component, form);
                redirect.addFlashAttribute("message", text.of("resources.saved", form.name()));
                return "redirect:" + path("/apps/component-packages/{w}/{n}/{v}", workspace, name, version);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        return componentForm(model, user, p, component);
    }

    private String componentForm(Model model, CurrentUser user, ComponentPackage p, String component) {
        model.addAttribute("pkg", p);
        model.addAttribute("original", component);
        model.addAttribute("groups", changes.groups(user, p.workspace(), null, new PageRequest(1, PageRequest.MAX_SIZE))
            .items());
        return "apps/component-form";
    }

    // --- component groups

    @GetMapping("/apps/component-groups")
    String groups(Authentication auth, @RequestParam(required = false) String workspace,
                  @RequestParam(required = false) String q, @RequestParam(required = false) Integer page, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        String ws = chooseWorkspace(user, workspace, model);
        if (ws != null) {
            model.addAttribute("result", changes.groups(user, ws, q, PageRequest.of(page, null)));
            model.addAttribute("canEdit", changes.canEdit(user, ws));
        }
        if (!model.containsAttribute("form")) {
            model.addAttribute("form", new GroupRequest(null, null));
        }
        return "apps/groups";
    }

    @PostMapping("/apps/component-groups/{workspace}")
    String createGroup(Authentication auth, @PathVariable String workspace,
                       @Valid @ModelAttribute("form") GroupRequest form, BindingResult errors,
                       RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            redirect.addFlashAttribute("org.springframework.validation.BindingResult.form", errors);
            redirect.addFlashAttribute("form", form);
        } else if (!act(redirect, () -> changes.createGroup(CurrentUser.from(auth), workspace, form),
            "resources.created", form.name())) {
            redirect.addFlashAttribute("form", form);
        }
        return "redirect:" + path("/apps/component-groups?workspace={w}", workspace);
    }

    @GetMapping("/apps/component-groups/{workspace}/{name}/edit")
    String editGroup(Authentication auth, @PathVariable String workspace, @PathVariable String name, Model model) {
        ComponentGroup g = changes.group(CurrentUser.from(auth), workspace, name);
        model.addAttribute("form", new GroupRequest(g.name(), g.sortOrder()));
        model.addAttribute("group", g);
        return "apps/group-form";
    }

    @PostMapping("/apps/component-groups/{workspace}/{name}/edit")
    String updateGroup(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                       @Valid @ModelAttribute("form") GroupRequest form, BindingResult errors, Model model,
                       RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        ComponentGroup g = changes.group(user, workspace, name);
        if (!errors.hasErrors()) {
            try {
                changes.updateGroup(user, workspace, name, form);
                redirect.addFlashAttribute("message", text.of("resources.saved", form.name()));
                return "redirect:" + path("/apps/component-groups?workspace={w}", workspace);
            } catch (MiniflowException e) {
                model.addAttribute("error", text.of(e));
            }
        }
        model.addAttribute("group", g);
        return "apps/group-form";
    }

    @GetMapping("/apps/component-groups/{workspace}/{name}/delete")
    String confirmDeleteGroup(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                              Model model) {
        changes.group(CurrentUser.from(auth), workspace, name);
        return confirm(model, text.of("resources.deleteGroup", name),
            path("/apps/component-groups/{w}/{n}/delete", workspace, name),
            path("/apps/component-groups?workspace={w}", workspace));
    }

    @PostMapping("/apps/component-groups/{workspace}/{name}/delete")
    String deleteGroup(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                       RedirectAttributes redirect) {
        act(redirect, () -> changes.deleteGroup(CurrentUser.from(auth), workspace, name), "resources.deleted", name);
        return "redirect:" + path("/apps/component-groups?workspace={w}", workspace);
    }

    // --- helpers

    String confirm(Model model, String message, String action, String cancel) {
        return confirm(model, message, action, Map.of(), cancel);
    }

    static String confirm(Model model, String message, String action, Map<String, String> fields, String cancel) {
        model.addAttribute("confirm", new Confirm(null, message, action, new LinkedHashMap<>(fields), cancel));
        return CONFIRM_VIEW;
    }

    /** Runs a change; a refusal becomes the flash error. True when it went through. */
    private boolean act(RedirectAttributes redirect, Runnable change, String doneKey, Object... args) {
        try {
            change.run();
            redirect.addFlashAttribute("message", text.of(doneKey, args));
            return true;
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
            return false;
        }
    }

    private String chooseWorkspace(CurrentUser user, String workspace, Model model) {
        List<String> visible = workspaces.visibleTo(user).stream().map(Workspace::name).toList();
        String ws = workspace != null && !workspace.isBlank() ? workspace : visible.isEmpty() ? null : visible.get(0);
        model.addAttribute("workspaces", visible);
        model.addAttribute("workspace", ws);
        return ws;
    }
}
