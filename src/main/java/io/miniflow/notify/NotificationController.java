package io.miniflow.notify;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The Notifications page of a workspace (admins): its subscriptions and the delivery log, with resend. */
@Controller
class NotificationController {

    static final String VIEW = "workspaces/notifications";

    private final Subscriptions subscriptions;
    private final WorkspaceAccess access;
    private final ConsoleText text;

    NotificationController(Subscriptions subscriptions, WorkspaceAccess access, ConsoleText text) {
        this.subscriptions = subscriptions;
        this.access = access;
        this.text = text;
    }

    @GetMapping("/workspaces/{workspace}/notifications")
    String page(Authentication auth, @PathVariable String workspace, @RequestParam(required = false) String q,
                @RequestParam(required = false) String status, @RequestParam(required = false) Integer page,
                Model model) {
        CurrentUser user = CurrentUser.from(auth);
        model.addAttribute("workspace", access.requireAdmin(user, workspace));
        model.addAttribute("subscriptions", subscriptions.list(user, workspace));
        String shownStatus = status;
        try {
            model.addAttribute("deliveries", subscriptions.deliveries(user, workspace, q, status,
                PageRequest.of(page, null)));
        } catch (InvalidFields e) {
            shownStatus = null;
            model.addAttribute("deliveries", subscriptions.deliveries(user, workspace, q, null,
                PageRequest.of(page, null)));
        }
        model.addAttribute("q", q);
        model.addAttribute("status", shownStatus);
        model.addAttribute("statuses", Arrays.stream(DeliveryStatus.values()).map(Enum::name).toList());
        model.addAttribute("eventTypes", Arrays.stream(EventType.values()).map(EventType::code).toList());
        model.addAttribute("channels", Arrays.stream(Channel.values()).map(Enum::name).toList());
        return VIEW;
    }

    /** The same rules as the API; refused fields come back as one flash error, nothing is created. */
    @PostMapping("/workspaces/{workspace}/notifications/subscriptions")
    String create(Authentication auth, @PathVariable String workspace,
                  @RequestParam(required = false) List<String> events, @RequestParam(required = false) String channel,
                  @RequestParam(required = false) String url, @RequestParam(required = false) String secret,
                  RedirectAttributes redirect) {
        try {
            Subscriptions.SubscriptionView created = subscriptions.create(CurrentUser.from(auth), workspace,
                new Subscriptions.NewSubscription(events == null ? List.of() : events, channel, url, secret));
            redirect.addFlashAttribute("message", text.of("notify.subscription.created", created.id()));
        } catch (InvalidFields invalid) {
            redirect.addFlashAttribute("error", invalid.fields().stream().map(f -> text.of(f.key(), f.args()))
                .collect(Collectors.joining(" ")));
        } catch (MiniflowException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/workspaces/" + workspace + "/notifications";
    }

    @PostMapping("/workspaces/{workspace}/notifications/subscriptions/{id}/delete")
    String delete(Authentication auth, @PathVariable String workspace, @PathVariable long id,
                  RedirectAttributes redirect) {
        subscriptions.delete(CurrentUser.from(auth), workspace, id);
        redirect.addFlashAttribute("message", text.of("notify.subscription.deleted", id));
        return "redirect:/workspaces/" + workspace + "/notifications";
    }

    @PostMapping("/workspaces/{workspace}/notifications/deliveries/{id}/resend")
    String resend(Authentication auth, @PathVariable String workspace, @PathVariable long id,
                  RedirectAttributes redirect) {
        try {
            subscriptions.resend(CurrentUser.from(auth), workspace, id);
            redirect.addFlashAttribute("message", text.of("notify.resent", id));
        } catch (MiniflowException e) {
            if (e.status().value() == 403 || e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/workspaces/" + workspace + "/notifications";
    }
}
