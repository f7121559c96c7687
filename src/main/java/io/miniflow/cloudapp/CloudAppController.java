package io.miniflow.cloudapp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
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
import io.miniflow.cloudapp.CloudAppService.GiveUpCheck;
import io.miniflow.cloudapp.CloudAppViews.AppDetail;
import io.miniflow.cloudapp.CloudAppViews.BuildHistory;
import io.miniflow.cloudapp.CloudAppViews.EnvironmentPage;
import io.miniflow.cloudapp.CloudAppViews.OrderView;
import io.miniflow.cloudapp.deploy.EnvironmentDeploys;
import io.miniflow.cloudapp.pkg.PackageService;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.ProcessDiagrams;
import io.miniflow.shared.QrCodePng;
import io.miniflow.workspace.Workspace;
import io.miniflow.workspace.WorkspaceService;

/**
 * Console pages of cloud apps under /environments: the apps as cards, create, an app with its test and prod
 * environments as tabs (servers, load balancer, database, domain and certificate, the unpaid order's QR code, builds
 * with the running one's process diagram), delete after a confirmation page, and an operator's give-up of a stuck
 * build after one.
 */
@Controller
class CloudAppController {

    static final String VIEW_LIST = "cloudapps/list";
    static final String VIEW_FORM = "cloudapps/form";
    static final String VIEW_DETAIL = "cloudapps/detail";
    static final String VIEW_DELETE = "cloudapps/delete";
    static final String VIEW_GIVE_UP = "cloudapps/give-up";
    static final int DEPLOYS_PER_PAGE = 10;

    private final CloudAppService apps;
    private final WorkspaceService workspaces;
    private final ConsoleText text;
    private final ProcessDiagrams diagrams;
    private final CloudPlans plans;
    private final PackageService packages;
    private final EnvironmentDeploys deploys;

    CloudAppController(CloudAppService apps, WorkspaceService workspaces, ConsoleText text, ProcessDiagrams diagrams,
                       CloudPlans plans, PackageService packages, EnvironmentDeploys deploys) {
        this.deploys = deploys;
        this.packages = packages;
        this.plans = plans;
        this.apps = apps;
        this.workspaces = workspaces;
        this.text = text;
        this.diagrams = diagrams;
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
               @RequestParam(defaultValue = "false") boolean password,
               @RequestParam(name = "page", required = false) Integer deploysPage, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        EnvironmentPage page = apps.environmentPage(user, name, env);
        model.addAttribute("page", page);
        model.addAttribute("unpaid", unpaid(page.environment().order()));
        model.addAttribute("packages", packages.section(user, name));
        model.addAttribute("deploys", deploys.tab(user, name, env, PageRequest.of(deploysPage, DEPLOYS_PER_PAGE)));
        BuildHistory running = page.runningBuild();
        if (running != null && running.build().processInstanceId() != null) {
            model.addAttribute("diagram", diagrams.of(running.build().processInstanceId()));
            if (page.canGiveUp()) {
                model.addAttribute("giveUp", apps.giveUpCheck(user, name, env, running.build().id()));
            }
        }
        // The page follows the build on its own (payment, steps, the end) as the tenant page follows its apps; not
        // while it shows the password, whose every read is audited.
        model.addAttribute("moving", page.environment().status() == EnvironmentStatus.BUILDING && !password);
        EnvironmentStatus status = page.environment().status();
        if (page.app().canEdit() && (status == EnvironmentStatus.NOT_BUILT || status == EnvironmentStatus.BUILD_FAILED
                || status == EnvironmentStatus.RELEASED)) {
            model.addAttribute("buildPlans", plans.plans());
            if (!model.containsAttribute("buildErrors")) {
                model.addAttribute("buildErrors", Map.of());
            }
        }
        if (password) {
            model.addAttribute("databasePassword", apps.databasePassword(user, name, env)
                .orElseGet(() -> text.of("cloudapps.none")));
        }
        return VIEW_DETAIL;
    }

    /** The unpaid order's code_url as a QR code for WeChat, to members of the workspace; no order to pay is 404. */
    @GetMapping(value = "/environments/apps/{name}/{env}/order-qr.png", produces = MediaType.IMAGE_PNG_VALUE)
    ResponseEntity<byte[]> orderQrCode(Authentication auth, @PathVariable String name, @PathVariable String env) {
        OrderView order = unpaid(apps.environment(CurrentUser.from(auth), name, env).order());
        if (order == null) {
            throw MiniflowException.notFound("cloudapp.order.noneUnpaid", env);
        }
        // A code_url pays this order until it closes: no cache keeps it after the page is gone.
        return ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).cacheControl(CacheControl.noStore())
            .body(QrCodePng.of(order.codeUrl()));
    }

    @GetMapping("/environments/apps/{name}/{env}/builds/{buildId}/give-up")
    String confirmGiveUp(Authentication auth, @PathVariable String name, @PathVariable String env,
                         @PathVariable long buildId, Model model) {
        return giveUpPage(model, name, env, apps.giveUpCheck(CurrentUser.from(auth), name, env, buildId), null);
    }

    /** Gives up only with the confirmation box ticked; without it the confirmation page comes back, saying why. */
    @PostMapping("/environments/apps/{name}/{env}/builds/{buildId}/give-up")
    String giveUp(Authentication auth, @PathVariable String name, @PathVariable String env, @PathVariable long buildId,
                  @RequestParam(defaultValue = "false") boolean confirmed, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        if (!confirmed) {
            return giveUpPage(model, name, env, apps.giveUpCheck(user, name, env, buildId),
                text.of("cloudapps.giveUpUnconfirmed"));
        }
        try {
            apps.giveUp(user, name, env, buildId);
            redirect.addFlashAttribute("message", text.of("cloudapps.givenUpFlash", buildId));
        } catch (MiniflowException e) {
            if (e.status().value() != 409) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/environments/apps/" + name + "?env=" + env;
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

    private String giveUpPage(Model model, String name, String env, GiveUpCheck check, String error) {
        model.addAttribute("appName", name);
        model.addAttribute("env", env);
        model.addAttribute("check", check);
        model.addAttribute("diagram", check.running()
            ? diagrams.of(check.build().build().processInstanceId()) : null);
        if (error != null) {
            model.addAttribute("error", error);
        }
        return VIEW_GIVE_UP;
    }

    private static OrderView unpaid(OrderView order) {
        return order != null && order.status() == OrderStatus.UNPAID && order.codeUrl() != null ? order : null;
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
