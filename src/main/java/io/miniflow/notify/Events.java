package io.miniflow.notify;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.miniflow.shared.PublicAddress;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where features announce what happened in a workspace. {@link #publish} writes one outbox row per subscription of
 * that workspace that wants the event, in the caller's transaction: an event whose change rolls back is never
 * sent, and one that commits is sent (NotificationDelivery) even if the node stops right after.
 */
@Component
public class Events {

    private final NotifyRepository repository;
    private final PublicAddress publicAddress;
    private final ObjectMapper json;
    private final Clock clock;

    Events(NotifyRepository repository, PublicAddress publicAddress, ObjectMapper json, Clock clock) {
        this.repository = repository;
        this.publicAddress = publicAddress;
        this.json = json;
        this.clock = clock;
    }

    /** Event details from key, value pairs in order; null values are left out (Map.of refuses them). */
    public static Map<String, Object> data(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("data takes key, value pairs");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                data.put(String.valueOf(keysAndValues[i]), keysAndValues[i + 1]);
            }
        }
        return data;
    }

    /**
     * Announces an event of a workspace.
     *
     * @param workspace   whose subscriptions hear of it (null or blank: nobody's, e.g. an instance without one)
     * @param type        what happened
     * @param subject     what it happened to, in a few words (an app and version, a batch, a tenant code)
     * @param data        details for the receiver (JSON-serializable; nulls are left out)
     * @param consolePath the console page that shows it ("/approvals/12"); sent as an absolute link
     */
    public void publish(String workspace, EventType type, String subject, Map<String, Object> data, String consolePath) {
        if (workspace == null || workspace.isBlank()) {
            return;
        }
        List<Long> subscribers = repository.subscribersOf(workspace, type.code());
        if (subscribers.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String eventId = UUID.randomUUID().toString();
        String shortSubject = subject == null ? "" : subject.length() > 500 ? subject.substring(0, 500) : subject;
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("event", type.code());
        event.put("workspace", workspace);
        event.put("subject", shortSubject);
        event.put("occurredAt", now.toString());
        event.put("link", consolePath == null ? null : publicAddress.url() + consolePath);
        Map<String, Object> details = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((k, v) -> {
                if (v != null) {
                    details.put(k, v);
                }
            });
        }
        event.put("data", details);
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data of " + type.code() + " is not JSON-serializable", e);
        }
        for (long subscription : subscribers) {
            repository.insertDelivery(subscription, workspace, eventId, type.code(), shortSubject, payload, now);
        }
    }
}
