package io.miniflow.cloudapp.deploy;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.cloudapp.deploy.EnvironmentDeploys.DeployStarted;
import io.miniflow.cloudapp.deploy.EnvironmentDeploys.Redeploy;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

/**
 * The console's deploys of an environment (issue 15): the Deploy form of the environment tab lands on the order's
 * page, which follows the order live (deploy.js) and shows each server's logs; an ended order's package is deployed
 * again after a confirmation page. Refusals the user can act on come back as the tab's flash.
 */
@Controller
class DeployController {

    static final String VIEW_ORDER = "cloudapps/deploy";
    static final String VIEW_REDEPLOY = "cloudapps/redeploy";

    private final EnvironmentDeploys deploys;
    private final ConsoleText text;

    DeployController(EnvironmentDeploys deploys, ConsoleText text) {
        this.deploys = deploys;
        this.text = text;
    }

    @PostMapping("/environments/apps/{name}/{env}/deploys")
    String deploy(Authentication auth, @PathVariable String name, @PathVariable String env,
                  @RequestParam(required = false) String packageVersion, RedirectAttributes redirect) {
        return start(CurrentUser.from(auth), name, env, packageVersion, redirect);
    }

    @GetMapping("/environments/apps/{name}/{env}/deploys/{deployId}")
    String order(Authentication auth, @PathVariable String name, @PathVariable String env,
                 @PathVariable String deployId, Model model) {
        DeployView order = deploys.view(CurrentUser.from(auth), name, env, deployId);
        model.addAttribute("app", name);
        model.addAttribute("env", env);
        model.addAttribute("order", order);
        model.addAttribute("statusUrl", EnvironmentDeploys.statusUrl(name, env, order.deployId()));
        return VIEW_ORDER;
    }

    @GetMapping("/environments/apps/{name}/{env}/deploys/{deployId}/redeploy")
    String confirmRedeploy(Authentication auth, @PathVariable String name, @PathVariable String env,
                           @PathVariable String deployId, Model model) {
        model.addAttribute("redeploy", deploys.redeploy(CurrentUser.from(auth), name, env, deployId));
        return VIEW_REDEPLOY;
    }

    /** Deploys the order's package again only with the box ticked; without it the confirmation page says why. */
    @PostMapping("/environments/apps/{name}/{env}/deploys/{deployId}/redeploy")
    String redeploy(Authentication auth, @PathVariable String name, @PathVariable String env,
                    @PathVariable String deployId, @RequestParam(defaultValue = "false") boolean confirmed,
                    Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        Redeploy redeploy = deploys.redeploy(user, name, env, deployId);
        if (!confirmed) {
            model.addAttribute("redeploy", redeploy);
            model.addAttribute("error", text.of("cloudapps.deploy.redeployUnconfirmed"));
            return VIEW_REDEPLOY;
        }
        return start(user, name, env, redeploy.order().version(), redirect);
    }

    private String start(CurrentUser user, String name, String env, String version, RedirectAttributes redirect) {
        try {
            DeployStarted started = deploys.request(user, name, env, version);
            redirect.addFlashAttribute("message", text.of("cloudapps.deploy.started", started.deployId(), version));
            return "redirect:/environments/apps/" + name + "/" + env + "/deploys/" + started.deployId();
        } catch (InvalidFields invalid) {
            redirect.addFlashAttribute("error", String.join(" ", invalid.fields().stream()
                .map(f -> text.of(f.key(), f.args())).toList()));
        } catch (MiniflowException e) {
            if (e.status().value() == 404 || e.status().value() == 403) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/environments/apps/" + name + "?env=" + env + "#deploys";
    }
}
