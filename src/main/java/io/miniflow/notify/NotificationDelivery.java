package io.miniflow.notify;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.miniflow.shared.MiniflowException;
import io.miniflow.workspace.WebhookTargets;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Sends the outbox: every poll-interval each node takes the due deliveries one by one with a conditional UPDATE
 * (a row goes to one node only), sends it, and records the outcome: DELIVERED, or PENDING again after a backoff,
 * or FAILED after the last attempt. A node that stops while sending leaves a claim that runs out; another node (or
 * this one after its restart) sends the delivery again, so a receiver may see a delivery twice, never zero times
 * (X-Miniflow-Delivery and the event id let it tell).
 */
@Component
class NotificationDelivery {

    private static final Logger log = LoggerFactory.getLogger(NotificationDelivery.class);

    private final NotifyRepository repository;
    private final ChannelMessages messages;
    private final WebhookTargets targets;
    private final NotifySettings settings;
    private final Clock clock;
    private final String node;
    private ScheduledExecutorService poller;

    NotificationDelivery(NotifyRepository repository, ChannelMessages messages, WebhookTargets targets,
                         NotifySettings settings, Clock clock) {
        this.repository = repository;
        this.messages = messages;
        this.targets = targets;
        this.settings = settings;
        this.clock = clock;
        this.node = hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Starts polling once the application (and its database migrations) is ready. */
    @EventListener(ApplicationReadyEvent.class)
    synchronized void start() {
        if (!settings.enabled() || poller != null) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "notify-delivery");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(settings.pollInterval().toMillis(), 100);
        poller.scheduleWithFixedDelay(this::deliverDueQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    private void deliverDueQuietly() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            // The next poll tries again; a database that is away for a moment must not end the poller.
            log.warn("notification delivery poll failed: {}", e.toString());
        }
    }

    /** One poll: sends what is due now; returns how many deliveries this node took. */
    int deliverDue() {
        int taken = 0;
        for (long id : repository.due(clock.instant(), settings.batchSize())) {
            Instant now = clock.instant();
            if (repository.claim(id, node, now, now.plus(settings.claimTimeout()))) {
                taken++;
                send(id);
            }
        }
        return taken;
    }

    private void send(long id) {
        Delivery delivery = repository.findDelivery(id).orElseThrow();
        Instant now = clock.instant();
        Integer status = null;
        String error;
        try {
            // Decrypting its URL and secret may fail (a master key missing after a rotation): a failed attempt.
            Subscription subscription = repository.findSubscription(delivery.subscriptionId()).orElseThrow();
            if (subscription.deletedAt() != null) {
                repository.recordAttempt(id, node, DeliveryStatus.CANCELLED, null, "subscription removed", now, now);
                return;
            }
            ChannelMessages.Outgoing request = messages.build(subscription, delivery, now);
            WebhookTargets.Answer answer = targets.send(request.url(), request.body(), request.headers());
            status = answer.status();
            error = messages.refusal(subscription.channel(), answer.status(), answer.body());
        } catch (MiniflowException e) {
            // The URL's host resolves to an internal address by now (checked again at each delivery).
            error = "refused: " + e.messageKey() + " " + java.util.Arrays.toString(e.args());
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        String failure = error == null ? null : error.length() > 1000 ? error.substring(0, 1000) : error;
        Instant after = clock.instant();
        DeliveryStatus outcome;
        Instant next = after;
        if (failure == null) {
            outcome = DeliveryStatus.DELIVERED;
        } else if (delivery.attempts() >= settings.maxAttempts()) {
            outcome = DeliveryStatus.FAILED;
        } else {
            outcome = DeliveryStatus.PENDING;
            next = after.plus(settings.backoff(delivery.attempts()));
        }
        if (!repository.recordAttempt(id, node, outcome, status, failure, next, after)) {
            log.warn("delivery {} was taken over by another node before its outcome was recorded", id);
        } else if (failure != null) {
            log.info("notification {} ({}) to subscription {} failed, attempt {} of {}: {}", id, delivery.eventType(),
                delivery.subscriptionId(), delivery.attempts(), settings.maxAttempts(), failure);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
