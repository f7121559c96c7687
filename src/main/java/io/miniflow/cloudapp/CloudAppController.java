package io.miniflow.cloudapp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.cloudapp.CloudAppRequests.NewCloudApp;
import io.miniflow.cloudapp.CloudAppViews.AppDetail;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceService;

/**
 * Console pages of cloud apps under /environments: the apps as cards, create, an app with its test and prod
 * environments as tabs (servers, load balancer, database, domain and certificate, orders, builds), and delete after a
 * confirmation page.
 */
@Controller
class CloudAppController {

    static final String VIEW_LIST = "cloudapps/list";
    static final String VIEW_FORM = "cloudapps/form";
    static final String VIEW_DETAIL = "cloudapps/detail";
    static final String VIEW_DELETE = "cloudapps/delete";

    private final CloudAppService apps;
    private final WorkspaceService workspaces;
    private final ConsoleText text;

    CloudAppController(CloudAppService apps, WorkspaceService workspaces, ConsoleText text) {
        this.apps = apps;
        this.workspaces = workspaces;
        this.text = text;
    }

    @GetMapping("/environments")
    String list(Authentication auth, @RequestParam(required = false) String q,
                @RequestParam(required = false) Integer page, Model model) {
        model.addAttribute("apps", apps.search(CurrentUser.from(auth), q, PageRequest.of(page, null)));
        return VIEW_LIST;
    }

    @GetMapping("/environments/new")
    String newApp(Authentication auth, Model model) {
        model.addAttribute("form", new NewCloudApp(null, null, Runtime.SPRING_BOOT.name(), null));
        return form(CurrentUser.from(auth), model, Map.of());
    }

    @PostMapping("/environments")
    String create(Authentication auth, @ModelAttribute("form") NewCloudApp form, Model model,
                  RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        try {
            AppDetail app = apps.create(user, form);
            redirect.addFlashAttribute("message", text.of("cloudapps.createdFlash", app.name()));
            return "redirect:/environments/apps/" + app.name();
        } catch (InvalidFields invalid) {
            return form(user, model, messages(invalid));
        } catch (MiniflowException e) {
            model.addAttribute("error", text.of(e));
            return form(user, model, Map.of());
        }
    }

    @GetMapping("/environments/apps/{name}")
    String app(Authentication auth, @PathVariable String name, @RequestParam(defaultValue = "test") String env,
               @RequestParam(defaultValue = "false") boolean password, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("page", apps.environmentPage(user, name, env));
        if (password) {
            model.addAttribute("databasePassword", apps.databasePassword(user, name, env)
                .orElseGet(() -> text.of("cloudapps.none")));
        }
        return VIEW_DETAIL;
    }

    @GetMapping("/environments/apps/{name}/delete")
    String confirmDelete(Authentication auth, @PathVariable String name, Model model) {
        model.addAttribute("app", apps.app(CurrentUser.from(auth), name));
        return VIEW_DELETE;
    }

    @PostMapping("/environments/apps/{name}/delete")
    String delete(Authentication auth, @PathVariable String name,
                  @RequestParam(defaultValue = "false") boolean confirm, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!confirm) {
            model.addAttribute("app", apps.app(user, name));
            model.addAttribute("error", text.of("cloudapps.deleteConfirm", name));
            return VIEW_DELETE;
        }
        try {
            apps.delete(user, name);
            redirect.addFlashAttribute("message", text.of("cloudapps.deletedFlash", name));
            return "redirect:/environments";
        } catch (MiniflowException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
            return "redirect:/environments/apps/" + name;
        }
    }

    private String form(CurrentUser user, Model model, Map<String, String> fieldErrors) {
        model.addAttribute("workspaces", workspaces.visibleTo(user).stream().map(Workspace::name).toList());
        model.addAttribute("runtimes", List.of(Runtime.values()));
        model.addAttribute("fieldErrors", fieldErrors);
        return VIEW_FORM;
    }

    private Map<String, String> messages(InvalidFields invalid) {
        Map<String, String> out = new LinkedHashMap<>();
        invalid.fields().forEach(f -> out.merge(f.field(), text.of(f.key(), f.args()), (a, b) -> a + " " + b));
        return out;
    }
}
