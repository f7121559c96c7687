package io.miniflow.tenant;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.miniflow.openapi.WebhookSignatures;
import io.miniflow.workspace.WebhookTargets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Delivers webhooks to the SaaS platform's notifyUrl, signed with the workspace's team key (docs/openapi.md,
 * "Webhooks"). Each delivery has an id that stays the same across attempts (X-Miniflow-Delivery), so a receiver
 * that saw it already can ignore it; a delivery that succeeded is never sent again. Attempts are recorded in a
 * transaction of their own: the engine's retry rolls the step back, not the count.
 */
@Component
class TenantWebhooks {

    /** What a delivery attempt came to. */
    enum Result { DELIVERED, RETRY, GAVE_UP }

    private static final Logger log = LoggerFactory.getLogger(TenantWebhooks.class);

    private final TenantRepository repository;
    private final WebhookTargets targets;
    private final WebhookSignatures signatures;
    private final TenantTimings timings;
    private final ObjectMapper json;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;

    TenantWebhooks(TenantRepository repository, WebhookTargets targets, WebhookSignatures signatures,
                   TenantTimings timings, ObjectMapper json, PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.targets = targets;
        this.signatures = signatures;
        this.timings = timings;
        this.json = json;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
    }

    /**
     * One attempt at this delivery (created on first use; one that gave up before starts afresh, an operator asked
     * for it). RETRY: the caller lets the engine try again later; GAVE_UP: that was the last attempt.
     */
    Result deliver(TenantApp app, String url, String event, String deliveryId, Map<String, Object> data) {
        TenantWebhook delivery = ownTransaction.execute(tx -> {
            TenantWebhook existing = repository.findWebhook(deliveryId).orElse(null);
            if (existing == null) {
                repository.insertWebhook(app.id(), deliveryId, event, url, clock.instant());
            } else if (existing.status() == TenantWebhook.Status.FAILED) {
                repository.restartWebhook(deliveryId, clock.instant());
            }
            return repository.findWebhook(deliveryId).orElseThrow();
        });
        if (delivery.status() == TenantWebhook.Status.DELIVERED) {
            return Result.DELIVERED;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event);
        body.put("deliveryId", deliveryId);
        body.put("occurredAt", clock.instant().toString());
        body.putAll(data);
        Integer status = null;
        String error;
        try {
            String text = json.writeValueAsString(body);
            URI uri = URI.create(url);
            String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String authorization = signatures.authorization(app.workspace(), "POST", pathAndQuery,
                text.getBytes(StandardCharsets.UTF_8)).orElse(null);
            if (authorization == null) {
                error = "the workspace has no active team key to sign with";
            } else {
                status = targets.post(url, text, Map.of("Authorization", authorization, "X-Miniflow-Event", event,
                    "X-Miniflow-Delivery", deliveryId));
                error = status >= 200 && status < 300 ? null : "answered HTTP " + status;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        String failure = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        Integer answered = status;
        return ownTransaction.execute(tx -> {
            int attempts = delivery.attempts() + 1;
            TenantWebhook.Status now = failure == null ? TenantWebhook.Status.DELIVERED
                : attempts >= timings.webhookAttempts() ? TenantWebhook.Status.FAILED : TenantWebhook.Status.PENDING;
            repository.recordAttempt(deliveryId, now, answered, failure, clock.instant());
            if (failure != null) {
                log.info("webhook {} {} to {} failed (attempt {} of {}): {}", event, deliveryId, url, attempts,
                    timings.webhookAttempts(), failure);
            }
            return switch (now) {
                case DELIVERED -> Result.DELIVERED;
                case FAILED -> Result.GAVE_UP;
                default -> Result.RETRY;
            };
        });
    }
}
