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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.miniflow.wechat.crypto.WechatMessageCrypto;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Delivers the platform's pushes the way WeChat does: the XML event encrypted with the platform's EncodingAESKey,
 * wrapped in an envelope, POSTed with timestamp, nonce and msg_signature in the query. Deliveries run on background
 * threads; a failed delivery is logged and not retried (the real platform's retry policy is not documented, and
 * receivers must poll as a backstop anyway).
 *
 * <p>Message pushes (audit results) may be spoiled on purpose as the real channel spoils them
 * ({@link WechatSandboxSettings.PushFaults}, set through the control API): dropped, sent a second time a little later
 * (a repeat with a fresh timestamp and nonce, as WeChat repeats a push it thinks failed), held back so a later push
 * overtakes it, or, decided at submission, delivered before submit_audit answers. Each share is spread evenly (a share
 * of 0.5 spoils every second push), so a test knows what happened; counted for the stats answer.
 */
@Component
class WechatSandboxPusher {

    private static final Logger log = LoggerFactory.getLogger(WechatSandboxPusher.class);
    private static final int SENDERS = 8;
    /** When the second delivery of a duplicated push goes out. */
    static final Duration DUPLICATE_AFTER = Duration.ofSeconds(1);
    /** How long a reordered push is held back (pushes within that time overtake it). */
    static final Duration REORDER_HOLD = Duration.ofSeconds(2);

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
    /** Sends duplicates and held-back pushes when their time comes (through {@link #sender}). */
    private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-wechat-push-later");
        t.setDaemon(true);
        return t;
    });
    private final SecureRandom random = new SecureRandom();
    private final Shares shares = new Shares();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong duplicated = new AtomicLong();
    final AtomicLong early = new AtomicLong();
    final AtomicLong reordered = new AtomicLong();

    WechatSandboxPusher(WechatSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** An authorization event (ticket, authorized, unauthorized...) to the authorization-event URL. */
    void pushComponentEvent(String innerXml) {
        String url = settings.callbackUrl();
        if (canPush(url)) {
            sender.execute(() -> deliver(seal(url, "AppId", settings.componentAppId(), innerXml)));
        }
    }

    /**
     * A message event of one authorizer (audit results) to the message URL with $APPID$ replaced, subject to the push
     * faults. {@code early}: the audit was decided at submission and its push is delivered on the caller's thread,
     * before the caller answers submit_audit.
     */
    void pushMessageEvent(String appId, String userName, String innerXml, boolean early) {
        String base = settings.messageCallbackUrl();
        String url = base == null ? null : base.replace("$APPID$", appId);
        if (!canPush(url)) {
            return;
        }
        WechatSandboxSettings.PushFaults faults = settings.pushFaults();
        if (shares.take(Shares.DROP, faults.dropRate())) {
            dropped.incrementAndGet();
            log.info("push fault: message push to {} dropped", appId);
            return;
        }
        // Sealed at each delivery: a repeated push carries a fresh timestamp and nonce, as WeChat's repeats do.
        Runnable once = () -> deliver(seal(url, "ToUserName", userName, innerXml));
        if (early) {
            this.early.incrementAndGet();
            once.run();
        } else if (shares.take(Shares.REORDER, faults.reorderRate())) {
            reordered.incrementAndGet();
            later.schedule(() -> sender.execute(once), REORDER_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            sender.execute(once);
        }
        if (shares.take(Shares.DUPLICATE, faults.duplicateRate())) {
            duplicated.incrementAndGet();
            later.schedule(() -> sender.execute(once), DUPLICATE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Whether the audit being submitted is to be decided at once and pushed before submit_audit answers. */
    boolean nextIsEarly() {
        String url = settings.messageCallbackUrl();
        return canPush(url) && shares.take(Shares.EARLY, settings.pushFaults().earlyRate());
    }

    /** The push faults changed: their shares start afresh. */
    void faultsChanged() {
        shares.reset();
    }

    void resetCounts() {
        for (AtomicLong count : new AtomicLong[] {delivered, failed, dropped, duplicated, early, reordered}) {
            count.set(0);
        }
    }

    private boolean canPush(String url) {
        if (url == null || url.isBlank() || !settings.pushesEnabled()) {
            log.debug("no callback URL configured or pushes off, push dropped");
            return false;
        }
        return true;
    }

    private record Delivery(String url, String body) {
    }

    private Delivery seal(String url, String outerName, String outerValue, String innerXml) {
        WechatMessageCrypto crypto = new WechatMessageCrypto(settings.token(), settings.encodingAesKey(),
            settings.componentAppId());
        String encrypt = crypto.encrypt(innerXml);
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        String nonce = Long.toString(1_000_000_000L + Math.floorMod(random.nextLong(), 8_999_999_999L));
        String signature = crypto.msgSignature(timestamp, nonce, encrypt);
        String query = "signature=" + WechatMessageCrypto.signature(settings.token(), timestamp, nonce)
            + "&timestamp=" + timestamp + "&nonce=" + nonce + "&encrypt_type=aes&msg_signature="
            + URLEncoder.encode(signature, StandardCharsets.UTF_8);
        return new Delivery(url + (url.contains("?") ? "&" : "?") + query, crypto.envelope(outerName, outerValue, encrypt));
    }

    private void deliver(Delivery delivery) {
        String url = delivery.url();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8)).build(),
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
        later.shutdownNow();
        sender.shutdownNow();
    }

    /**
     * Evenly spread shares: each fault adds its rate to its own account and strikes when the account reaches one, so
     * a rate of 0.5 strikes every second time, 1 every time, 0 never.
     */
    private static final class Shares {
        static final int DROP = 0;
        static final int DUPLICATE = 1;
        static final int EARLY = 2;
        static final int REORDER = 3;
        private final double[] accounts = new double[4];

        synchronized boolean take(int fault, double rate) {
            if (rate <= 0) {
                return false;
            }
            accounts[fault] += rate;
            if (accounts[fault] >= 1 - 1e-9) {
                accounts[fault] -= 1;
                return true;
            }
            return false;
        }

        synchronized void reset() {
            java.util.Arrays.fill(accounts, 0);
        }
    }
}
