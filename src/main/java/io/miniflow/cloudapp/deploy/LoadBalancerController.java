package io.miniflow.cloudapp.deploy;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.cloudapp.CloudAppService;
import io.miniflow.cloudapp.deploy.LoadBalancerWeights.WeightChange;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

/**
 * The console's load balancer page of an environment: servers with weight, version and health; for the workspace's
 * admins a weight set by hand after a confirmation page. Refusals the user can act on come back as the flash.
 */
@Controller
class LoadBalancerController {

    static final String VIEW_LOAD_BALANCER = "cloudapps/load-balancer";
    static final String VIEW_WEIGHT = "cloudapps/lb-weight";

    private final LoadBalancerWeights weights;
    private final CloudAppService apps;
    private final ConsoleText text;

    LoadBalancerController(LoadBalancerWeights weights, CloudAppService apps, ConsoleText text) {
        this.weights = weights;
        this.apps = apps;
        this.text = text;
    }

    /** A starter (one server, no load balancer) or an environment not built answers with a page saying so. */
    @GetMapping("/environments/apps/{name}/{env}/load-balancer")
    String loadBalancer(Authentication auth, @PathVariable String name, @PathVariable String env, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("environment", apps.environment(user, name, env));
        model.addAttribute("lb", weights.view(user, name, env).orElse(null));
        return VIEW_LOAD_BALANCER;
    }

    @GetMapping("/environments/apps/{name}/{env}/load-balancer/servers/{instanceId}/weight")
    String confirm(Authentication auth, @PathVariable String name, @PathVariable String env,
                   @PathVariable String instanceId, @RequestParam(required = false) Integer weight, Model model,
                   RedirectAttributes redirect) {
        try {
            model.addAttribute("change", weights.check(CurrentUser.from(auth), name, env, instanceId, weight));
            return VIEW_WEIGHT;
        } catch (InvalidFields | MiniflowException e) {
            return refused(e, name, env, redirect);
        }
    }

    @PostMapping("/environments/apps/{name}/{env}/load-balancer/servers/{instanceId}/weight")
    String set(Authentication auth, @PathVariable String name, @PathVariable String env,
               @PathVariable String instanceId, @RequestParam(required = false) Integer weight,
               @RequestParam(defaultValue = "false") boolean confirmed, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        try {
            if (!confirmed) {
                model.addAttribute("change", weights.check(user, name, env, instanceId, weight));
                model.addAttribute("error", text.of("cloudapps.lb.unconfirmed"));
                return VIEW_WEIGHT;
            }
            WeightChange change = weights.set(user, name, env, instanceId, weight);
            redirect.addFlashAttribute("message", text.of("cloudapps.lb.weightSet", change.instanceId(),
                change.oldWeight() == null ? "-" : change.oldWeight(), change.newWeight()));
            return "redirect:/environments/apps/" + name + "/" + env + "/load-balancer";
        } catch (InvalidFields | MiniflowException e) {
            return refused(e, name, env, redirect);
        }
    }

    /** 403 and 404 stay refusals; a bad weight or a running deploy is said on the load balancer page. */
    private String refused(RuntimeException e, String name, String env, RedirectAttributes redirect) {
        if (e instanceof MiniflowException m) {
            int status = m.status().value();
            if (status == 403 || status == 404) {
                throw m;
            }
            redirect.addFlashAttribute("error", text.of(m));
        } else {
            InvalidFields invalid = (InvalidFields) e;
            redirect.addFlashAttribute("error", String.join(" ", invalid.fields().stream()
                .map(f -> text.of(f.key(), f.args())).toList()));
        }
        return "redirect:/environments/apps/" + name + "/" + env + "/load-balancer";
    }
}
