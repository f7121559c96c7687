package io.miniflow.notify;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.WebhookTargets;
import io.miniflow.workspace.WorkspaceAccess;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A workspace's subscriptions and delivery log, for its admins only (a robot's URL is as good as its key): create
 * with full validation, list without secrets, remove, and send a delivery again.
 */
@Service
class Subscriptions {

    static final int MAX_URL = 1000;
    static final int MAX_SECRET = 200;
    static final int MIN_WEBHOOK_SECRET = 16;
    static final int MAX_SUBSCRIPTIONS = 50;
    static final int LATEST = 5;

    /** What the API takes; null fields are refused by {@link #create}. */
    record NewSubscription(List<String> events, String channel, String url, String secret) {
    }

    /** A subscription as shown: the URL's keys masked, no secret, its latest deliveries. */
    record SubscriptionView(long id, String workspace, String channel, String url, boolean signed, List<String> events,
                            String createdBy, Instant createdAt, List<DeliveryView> lastDeliveries) {
    }

    /** A delivery as shown (without its payload). */
    record DeliveryView(long id, long subscriptionId, String channel, String event, String subject, String status,
                        int attempts, Integer responseCode, String lastError, Instant createdAt, Instant updatedAt,
                        Instant nextAttemptAt, Instant deliveredAt) {

        static DeliveryView of(Delivery d) {
            return new DeliveryView(d.id(), d.subscriptionId(), d.channel().name(), d.eventType(), d.subject(),
                d.status().name(), d.attempts(), d.responseCode(), d.lastError(), d.createdAt(), d.updatedAt(),
                d.status() == DeliveryStatus.PENDING ? d.nextAttemptAt() : null, d.deliveredAt());
        }

        public boolean resendable() {
            return !status.equals(DeliveryStatus.SENDING.name()) && !status.equals(DeliveryStatus.CANCELLED.name());
        }
    }

    private final NotifyRepository repository;
    private final WorkspaceAccess access;
    private final WebhookTargets targets;
    private final AuditLog auditLog;
    private final Clock clock;

    Subscriptions(NotifyRepository repository, WorkspaceAccess access, WebhookTargets targets, AuditLog auditLog,
                  Clock clock) {
        this.repository = repository;
        this.access = access;
        this.targets = targets;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional
    SubscriptionView create(CurrentUser user, String workspace, NewSubscription request) {
        access.requireAdmin(user, workspace);
        InvalidFields invalid = new InvalidFields();
        Set<String> events = new LinkedHashSet<>();
        if (request.events() == null || request.events().isEmpty()) {
            invalid.add("events", "notify.field.eventsRequired");
        } else {
            for (int i = 0; i < request.events().size(); i++) {
                String e = request.events().get(i);
                if (e == null || EventType.of(e.trim()).isEmpty()) {
                    invalid.add("events[" + i + "]", "notify.field.eventUnknown", String.valueOf(e));
                } else {
                    events.add(e.trim());
                }
            }
        }
        Channel channel = null;
        if (request.channel() == null || request.channel().isBlank()) {
            invalid.add("channel", "notify.field.channelRequired");
        } else {
            try {
                channel = Channel.valueOf(request.channel().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                invalid.add("channel", "notify.field.channelUnknown", request.channel());
            }
        }
        String url = request.url() == null ? "" : request.url().trim();
        if (url.isEmpty()) {
            invalid.add("url", "notify.field.urlRequired");
        } else if (url.length() > MAX_URL) {
            invalid.add("url", "notify.field.urlTooLong", MAX_URL);
        } else {
            try {
                URI checked = targets.requireAllowed(url);
                if (checked.getRawFragment() != null || checked.getRawUserInfo() != null) {
                    invalid.add("url", "workspace.webhookInvalid");
                }
            } catch (MiniflowException e) {
                invalid.add("url", e.messageKey(), e.args());
            }
        }
        String secret = request.secret() == null || request.secret().isBlank() ? null : request.secret().trim();
        if (channel != null) {
            if (secret == null && channel.requiresSecret()) {
                invalid.add("secret", "notify.field.secretRequired", MIN_WEBHOOK_SECRET);
            } else if (secret != null && !channel.takesSecret()) {
                invalid.add("secret", "notify.field.secretNotUsed", channel.name());
            } else if (secret != null && secret.length() > MAX_SECRET) {
                invalid.add("secret", "notify.field.secretTooLong", MAX_SECRET);
            } else if (secret != null && channel == Channel.WEBHOOK && secret.length() < MIN_WEBHOOK_SECRET) {
                invalid.add("secret", "notify.field.secretRequired", MIN_WEBHOOK_SECRET);
            }
        }
        invalid.throwIfAny();
        if (repository.activeSubscriptions(workspace).size() >= MAX_SUBSCRIPTIONS) {
            throw MiniflowException.conflict("notify.tooMany", MAX_SUBSCRIPTIONS);
        }
        long id = repository.insertSubscription(workspace, channel, url, secret, List.copyOf(events), user.username(),
            clock.instant());
        auditLog.record(user.username(), "NOTIFY_SUBSCRIBED", "subscription", String.valueOf(id), workspace,
            channel + " " + String.join(",", events));
        return view(repository.findSubscription(id).orElseThrow());
    }

    List<SubscriptionView> list(CurrentUser user, String workspace) {
        access.requireAdmin(user, workspace);
        return repository.activeSubscriptions(workspace).stream().map(this::view).toList();
    }

    @Transactional
    void delete(CurrentUser user, String workspace, long id) {
        access.requireAdmin(user, workspace);
        Subscription s = repository.findSubscription(id).filter(x -> x.workspace().equals(workspace)
            && x.deletedAt() == null).orElseThrow(() -> MiniflowException.notFound("notify.subscriptionNotFound", id));
        repository.deleteSubscription(s.id(), clock.instant());
        auditLog.record(user.username(), "NOTIFY_UNSUBSCRIBED", "subscription", String.valueOf(id), workspace,
            s.channel().name());
    }

    PageResult<DeliveryView> deliveries(CurrentUser user, String workspace, String event, String status,
                                        PageRequest page) {
        access.requireAdmin(user, workspace);
        DeliveryStatus wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = DeliveryStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidFields().add("status", "notify.field.statusUnknown", status);
            }
        }
        PageResult<Delivery> found = repository.searchDeliveries(workspace, event, wanted, page);
        return new PageResult<>(found.items().stream().map(DeliveryView::of).toList(), found.request(), found.total());
    }

    /** Due again now; 404 for a delivery of another workspace, 409 while it is being sent or its subscription is gone. */
    @Transactional
    DeliveryView resend(CurrentUser user, String workspace, long deliveryId) {
        access.requireAdmin(user, workspace);
        Delivery d = repository.findDelivery(deliveryId).filter(x -> x.workspace().equals(workspace))
            .orElseThrow(() -> MiniflowException.notFound("notify.deliveryNotFound", deliveryId));
        if (!repository.resend(d.id(), clock.instant())) {
            throw MiniflowException.conflict("notify.notResendable", deliveryId);
        }
        auditLog.record(user.username(), "NOTIFY_RESENT", "notification", String.valueOf(deliveryId), workspace,
            d.eventType() + " " + d.subject());
        return DeliveryView.of(repository.findDelivery(deliveryId).orElseThrow());
    }

    private SubscriptionView view(Subscription s) {
        return new SubscriptionView(s.id(), s.workspace(), s.channel().name(), masked(s.url()),
            s.secret() != null, s.events(), s.createdBy(), s.createdAt(),
            repository.latestDeliveries(s.id(), LATEST).stream().map(DeliveryView::of).toList());
    }

    /**
     * The URL without what works as a key: query values (WeCom's key, DingTalk's access_token) and long path
     * segments (Feishu's hook id) are masked.
     */
    static String masked(String url) {
        URI uri = URI.create(url);
        StringBuilder out = new StringBuilder(uri.getScheme()).append("://").append(uri.getRawAuthority());
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/", -1)) {
            segments.add(segment.length() >= 20 ? segment.substring(0, 4) + "***" : segment);
        }
        out.append(String.join("/", segments));
        if (uri.getRawQuery() != null) {
            List<String> params = new ArrayList<>();
            for (String p : uri.getRawQuery().split("&")) {
                int eq = p.indexOf('=');
                params.add(eq < 0 ? p : p.substring(0, eq) + "=***");
            }
            out.append('?').append(String.join("&", params));
        }
        return out.toString();
    }
}
