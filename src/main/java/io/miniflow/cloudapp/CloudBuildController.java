package io.miniflow.cloudapp;

import java.util.LinkedHashMap;
import java.util.Map;

import io.miniflow.cloudapp.CloudAppRequests.BuildRequest;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's build form on an environment tab: the same request as {@code POST .../builds}, by the signed-in user.
 * A refused request shows each field's reason on the tab and orders nothing.
 */
@Controller
class CloudBuildController {

    private final CloudAppService apps;
    private final CloudAppController pages;
    private final ConsoleText text;

    CloudBuildController(CloudAppService apps, CloudAppController pages, ConsoleText text) {
        this.apps = apps;
        this.pages = pages;
        this.text = text;
    }

    /** {@code plan} is the form's "PLAN:months" choice from the price table. */
    @PostMapping("/environments/apps/{name}/{env}/builds")
    String build(Authentication auth, @PathVariable String name, @PathVariable String env,
                 @RequestParam(required = false) String plan, @RequestParam(required = false) String domain,
                 @RequestParam(required = false) String certificatePem,
                 @RequestParam(required = false) String privateKeyPem, Model model, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        String planName = plan == null ? null : plan.split(":", 2)[0];
        Integer months = plan == null || !plan.contains(":") ? null : parse(plan.split(":", 2)[1]);
        BuildRequest request = new BuildRequest(planName, months, domain, certificatePem, privateKeyPem);
        try {
            CloudAppViews.BuildStarted started = apps.startBuild(user, name, env, request);
            redirect.addFlashAttribute("message", text.of("cloudapps.build.started", started.outTradeNo()));
            return "redirect:/environments/apps/" + name + "?env=" + env;
        } catch (InvalidFields invalid) {
            Map<String, String> errors = new LinkedHashMap<>();
            invalid.fields().forEach(f -> errors.merge(f.field(), text.of(f.key(), f.args()), (a, b) -> a + " " + b));
            model.addAttribute("buildErrors", errors);
        } catch (MiniflowException e) {
            model.addAttribute("error", text.of(e));
        }
        model.addAttribute("buildForm", request);
        return pages.app(auth, name, env, false, null, model);
    }

    private static Integer parse(String months) {
        try {
            return Integer.valueOf(months);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
