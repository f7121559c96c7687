package io.miniflow.sandbox.wechat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import io.miniflow.wechat.crypto.WechatMessageCrypto;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers the platform's pushes the way WeChat does: the XML event encrypted with the platform's EncodingAESKey,
 * wrapped in an envelope, POSTed with timestamp, nonce and msg_signature in the query. Deliveries run on one
 * background thread in order; a failed delivery is logged and not retried (the real platform's retry policy is not
 * documented, and receivers must poll as a backstop anyway).
 */
@Component
class WechatSandboxPusher {

    private static final Logger log = LoggerFactory.getLogger(WechatSandboxPusher.class);
    private static final int SENDERS = 8;

    private final WechatSandboxSettings settings;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /**
     * WeChat's servers push many events at once; one sender thread waiting for each answer held a release batch to
     * the pace of Miniflow's callback (about eight pushes a second under load, measured in issue #17).
     */
    private final ExecutorService sender = Executors.newFixedThreadPool(SENDERS, r -> {
        Thread t = new Thread(r, "sandbox-wechat-push");
        t.setDaemon(true);
        return t;
    });
    private final SecureRandom random = new SecureRandom();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    WechatSandboxPusher(WechatSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** An authorization event (ticket, authorized, unauthorized...) to the authorization-event URL. */
    void pushComponentEvent(String innerXml) {
        String url = settings.callbackUrl();
        send(url, "AppId", settings.componentAppId(), innerXml);
    }

    /** A message event of one authorizer (audit results) to the message URL with $APPID$ replaced. */
    void pushMessageEvent(String appId, String userName, String innerXml) {
        String url = settings.messageCallbackUrl();
        send(url == null ? null : url.replace("$APPID$", appId), "ToUserName", userName, innerXml);
    }

    private void send(String url, String outerName, String outerValue, String innerXml) {
        if (url == null || url.isBlank() || !settings.pushesEnabled()) {
            log.debug("no callback URL configured or pushes off, push dropped");
            return;
        }
        WechatMessageCrypto crypto = new WechatMessageCrypto(settings.token(), settings.encodingAesKey(),
            settings.componentAppId());
        String encrypt = crypto.encrypt(innerXml);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = Long.toString(1_000_000_000L + Math.floorMod(random.nextLong(), 8_999_999_999L));
        String signature = crypto.msgSignature(timestamp, nonce, encrypt);
        String query = "signature=" + WechatMessageCrypto.signature(settings.token(), timestamp, nonce)
            + "&timestamp=" + timestamp + "&nonce=" + nonce + "&encrypt_type=aes&msg_signature="
            + URLEncoder.encode(signature, StandardCharsets.UTF_8);
        String body = crypto.envelope(outerName, outerValue, encrypt);
        sender.execute(() -> deliver(url + (url.contains("?") ? "&" : "?") + query, body));
    }

    private void deliver(String url, String body) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200 && "success".equals(response.body().trim())) {
                delivered.incrementAndGet();
            } else {
                failed.incrementAndGet();
                log.warn("push to {} answered {} {}", url, response.statusCode(), abbreviate(response.body()));
            }
        } catch (Exception e) {
            failed.incrementAndGet();
            log.warn("push to {} failed: {}", url, e.toString());
        } 
    }

    private static String abbreviate(String s) {
        return s == null || s.length() < 200 ? s : s.substring(0, 200) + "...";
    }

    @PreDestroy
    void stop() {
        sender.shutdownNow();
    }
}
