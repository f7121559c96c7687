package io.miniflow.cloudapp;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's release of an environment: a confirmation page where the user types the environment's name, then
 * the same request as {@code POST /api/cloud-apps/{name}/environments/{env}/release}.
 */
@Controller
class EnvironmentReleaseController {

    static final String VIEW_RELEASE = "cloudapps/release";

    private final EnvironmentReleases releases;
    private final CloudAppService apps;
    private final ConsoleText text;

    EnvironmentReleaseController(EnvironmentReleases releases, CloudAppService apps, ConsoleText text) {
        this.releases = releases;
        this.apps = apps;
        this.text = text;
    }

    @GetMapping("/environments/apps/{name}/{env}/release")
    String confirm(Authentication auth, @PathVariable String name, @PathVariable String env, Model model) {
        return page(model, apps.environment(CurrentUser.from(auth), name, env), null);
    }

    @PostMapping("/environments/apps/{name}/{env}/release")
    String release(Authentication auth, @PathVariable String name, @PathVariable String env,
                   @RequestParam(required = false) String confirm, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        try {
            releases.startRelease(user, name, env, confirm);
            redirect.addFlashAttribute("message", text.of("cloudapps.release.started", env));
            return "redirect:/environments/apps/" + name + "?env=" + env;
        } catch (InvalidFields invalid) {
            return page(model, apps.environment(user, name, env),
                text.of("cloudapp.release.confirm", env));
        } catch (MiniflowException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            return page(model, apps.environment(user, name, env), text.of(e));
        }
    }

    private static String page(Model model, CloudAppViews.EnvironmentView environment, String error) {
        model.addAttribute("environment", environment);
        if (error != null) {
            model.addAttribute("error", error);
        }
        return VIEW_RELEASE;
    }
}
