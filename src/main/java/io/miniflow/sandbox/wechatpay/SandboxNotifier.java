package io.miniflow.sandbox.wechatpay;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Sends TRANSACTION.SUCCESS and REFUND.SUCCESS notifications to the notify_url as the platform does: the resource
 * encrypted with AEAD_AES_256_GCM under the APIv3 key, the body signed with the platform key. Undelivered notifications (no 2xx)
 * are retried after the configured delays (the platform's own schedule is 15s/15s/30s/3m/10m/...).
 */
@Component
class SandboxNotifier {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxNotifier.class);
    static final List<Long> DEFAULT_RETRY_DELAYS = List.of(15_000L, 15_000L, 30_000L, 180_000L, 600_000L);

    record Notification(String eventId, String outTradeNo, String notifyUrl, Map<String, String> headers, String body,
                        int attempts, Integer lastStatus, boolean delivered) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ObjectMapper json;
    private final WechatPaySignatures signatures;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sandbox-wechatpay-notify");
        t.setDaemon(true);
        return t;
    });
    private volatile List<Long> retryDelays = DEFAULT_RETRY_DELAYS;

    SandboxNotifier(JdbcClient jdbc, Clock clock, ObjectMapper json, WechatPaySignatures signatures) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.json = json;
        this.signatures = signatures;
    }

    List<Long> retryDelays() {
        return retryDelays;
    }

    void retryDelays(List<Long> delays) {
        this.retryDelays = delays == null ? DEFAULT_RETRY_DELAYS : List.copyOf(delays);
    }

    /** Builds, stores and sends (asynchronously) the notification of a paid order. */
    Notification paid(SandboxMerchant merchant, SandboxOrders.Order order) {
        return send(merchant, order.outTradeNo(), order.notifyUrl(), "TRANSACTION.SUCCESS", "支付成功", "transaction",
            SandboxOrders.transaction(order));
    }

    /** Builds, stores and sends the REFUND.SUCCESS notification of a refund, to the refund's own notify_url. */
    Notification refunded(SandboxMerchant merchant, SandboxRefunds.Refund refund, Map<String, Object> resource) {
        return send(merchant, refund.outTradeNo(), refund.notifyUrl(), "REFUND.SUCCESS", "退款成功", "refund", resource);
    }

    /** The platform's envelope: the resource encrypted with AEAD_AES_256_GCM under the APIv3 key, the body signed. */
    private Notification send(SandboxMerchant merchant, String outTradeNo, String notifyUrl, String eventType,
                              String summary, String originalType, Map<String, Object> plain) {
        String nonce = SandboxMerchants.alnum(12);
        String eventId = "EV-" + SandboxMerchants.digits(18);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("original_type", originalType);
        resource.put("algorithm", "AEAD_AES_256_GCM");
        resource.put("ciphertext", WechatPaySignatures.encrypt(merchant.apiV3Key(), nonce, originalType, write(plain)));
        resource.put("associated_data", originalType);
        resource.put("nonce", nonce);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("create_time", SandboxOrders.RFC3339.format(clock.instant()));
        event.put("resource_type", "encrypt-resource");
        event.put("event_type", eventType);
        event.put("summary", summary);
        event.put("resource", resource);
        String body = write(event);
        HttpHeaders signed = signatures.signedHeaders(merchant, body);
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEach((name, values) -> headers.put(name, values.get(0)));
        jdbc.sql("""
                INSERT INTO sandbox_wechatpay_notification (event_id, out_trade_no, notify_url, headers, body, attempts,
                  delivered, created_at) VALUES (?, ?, ?, ?, ?, 0, FALSE, ?)""")
            .params(eventId, outTradeNo, notifyUrl, write(headers), body, Timestamp.from(clock.instant()))
            .update();
        scheduler.execute(() -> deliver(eventId, 0));
        return find(eventId);
    }

    /** Sends a stored notification again, unchanged (what a platform retry or a replay looks like). */
    void resend(String eventId) {
        scheduler.execute(() -> deliver(eventId, Integer.MAX_VALUE));
    }

    private void deliver(String eventId, int attempt) {
        Notification n = find(eventId);
        int status;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(n.notifyUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(n.body()));
            n.headers().forEach(request::header);
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            LOG.info("WeChat Pay sandbox: notification {} to {} failed: {}", eventId, n.notifyUrl(), e.toString());
            status = 0;
        }
        boolean delivered = status >= 200 && status < 300;
        jdbc.sql("""
                UPDATE sandbox_wechatpay_notification SET attempts = attempts + 1, last_status = ?,
                  delivered = (delivered OR ?) WHERE event_id = ?""")
            .params(status, delivered, eventId).update();
        List<Long> delays = retryDelays;
        if (!delivered && attempt < delays.size()) {
            scheduler.schedule(() -> deliver(eventId, attempt + 1), delays.get(attempt), TimeUnit.MILLISECONDS);
        }
    }

    Notification find(String eventId) {
        return jdbc.sql("SELECT * FROM sandbox_wechatpay_notification WHERE event_id = ?").param(eventId)
            .query((rs, n) -> new Notification(rs.getString("event_id"), rs.getString("out_trade_no"),
                rs.getString("notify_url"), readHeaders(rs.getString("headers")), rs.getString("body"),
                rs.getInt("attempts"), (Integer) rs.getObject("last_status", Integer.class), rs.getBoolean("delivered")))
            .single();
    }

    List<Notification> forOrder(String outTradeNo) {
        List<String> ids = jdbc.sql("SELECT event_id FROM sandbox_wechatpay_notification WHERE out_trade_no = ? ORDER BY id")
            .param(outTradeNo).query(String.class).list();
        List<Notification> all = new ArrayList<>();
        ids.forEach(id -> all.add(find(id)));
        return all;
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> readHeaders(String text) {
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
