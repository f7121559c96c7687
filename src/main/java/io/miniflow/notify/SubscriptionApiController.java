package io.miniflow.notify;

import java.util.List;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of a workspace's notification subscriptions and their delivery log (docs/notifications.md). */
@RestController
@RequestMapping("/api/workspaces/{workspace}")
class SubscriptionApiController {

    private final Subscriptions subscriptions;

    SubscriptionApiController(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @PostMapping("/subscriptions")
    @ResponseStatus(HttpStatus.CREATED)
    Subscriptions.SubscriptionView create(Authentication auth, @PathVariable String workspace,
                                          @RequestBody Subscriptions.NewSubscription request) {
        return subscriptions.create(CurrentUser.from(auth), workspace, request);
    }

    @GetMapping("/subscriptions")
    List<Subscriptions.SubscriptionView> list(Authentication auth, @PathVariable String workspace) {
        return subscriptions.list(CurrentUser.from(auth), workspace);
    }

    @DeleteMapping("/subscriptions/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(Authentication auth, @PathVariable String workspace, @PathVariable long id) {
        subscriptions.delete(CurrentUser.from(auth), workspace, id);
    }

    @GetMapping("/notification-deliveries")
    PageResult<Subscriptions.DeliveryView> deliveries(Authentication auth, @PathVariable String workspace,
                                                      @RequestParam(required = false) String event,
                                                      @RequestParam(required = false) String status,
                                                      @RequestParam(required = false) Integer page,
                                                      @RequestParam(required = false) Integer size) {
        return subscriptions.deliveries(CurrentUser.from(auth), workspace, event, status, PageRequest.of(page, size));
    }

    @PostMapping("/notification-deliveries/{id}/resend")
    Subscriptions.DeliveryView resend(Authentication auth, @PathVariable String workspace, @PathVariable long id) {
        return subscriptions.resend(CurrentUser.from(auth), workspace, id);
    }
}
