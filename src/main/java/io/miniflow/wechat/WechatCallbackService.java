package io.miniflow.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.release.AuditResults;
import io.miniflow.wechat.crypto.WechatCryptoException;
import io.miniflow.wechat.crypto.WechatMessageCrypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Opens and handles what WeChat pushes: checks msg_signature and the timestamp, decrypts with the current (or
 * previous) EncodingAESKey, insists on the component appid, records the push once (a replay changes nothing), and
 * acts on it: stores the verify ticket, keeps authorizer records current, hands audit results to whoever waits.
 */
@Service
public class WechatCallbackService {

    public enum Outcome { ACCEPTED, REPLAYED, REJECTED, FAILED }

    static final Duration MAX_AGE = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(WechatCallbackService.class);
    private static final Pattern ELEMENT =
        Pattern.compile("<(\\w+)>\\s*(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))\\s*</\\1>", Pattern.DOTALL);
    /** Credentials a push carries: the stored copy of a push is for people to read, so it goes without them. */
    private static final Pattern CREDENTIAL = Pattern.compile(
        "<(ComponentVerifyTicket|AuthorizationCode|PreAuthCode)>.*?</\\1>", Pattern.DOTALL);

    private final WechatSettings settings;
    private final WechatStore store;
    private final WechatClient client;
    private final WechatAuthorizations authorizations;
    private final WechatTokenManager tokens;
    private final ApplicationEventPublisher events;
    private final AuditResults auditResults;
    private final Clock clock;

    WechatCallbackService(WechatSettings settings, WechatStore store, WechatClient client,
                          WechatAuthorizations authorizations, WechatTokenManager tokens,
                          ApplicationEventPublisher events, AuditResults auditResults, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.client = client;
        this.authorizations = authorizations;
        this.tokens = tokens;
        this.events = events;
        this.auditResults = auditResults;
        this.clock = clock;
    }

    /**
     * @param pathAppId the authorizer appid when the push came to the message URL ({@code /wechat/callback/{appid}})
     */
    public Outcome receive(String pathAppId, String msgSignature, String timestamp, String nonce, String body) {
        String encrypt = WechatMessageCrypto.encryptOf(body);
        if (encrypt == null || msgSignature == null || timestamp == null || nonce == null) {
            log.warn("WeChat push rejected: envelope or signature parameters missing");
            return Outcome.REJECTED;
        }
        long sentAt;
        try {
            sentAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Outcome.REJECTED;
        }
        if (Math.abs(clock.instant().getEpochSecond() - sentAt) > MAX_AGE.toSeconds()) {
            log.warn("WeChat push rejected: timestamp {} is more than 5 minutes away", timestamp);
            return Outcome.REJECTED;
        }
        List<WechatMessageCrypto> cryptos = settings.cryptos();
        if (!cryptos.get(0).verify(msgSignature, timestamp, nonce, encrypt)) {
            log.warn("WeChat push rejected: msg_signature does not match");
            return Outcome.REJECTED;
        }
        String xml;
        try {
            xml = WechatMessageCrypto.decryptWithAny(cryptos, encrypt);
        } catch (WechatCryptoException e) {
            log.warn("WeChat push rejected: {}", e.getMessage());
            return Outcome.REJECTED;
        }
        Map<String, String> fields = parse(xml);
        String infoType = fields.containsKey("InfoType") ? fields.get("InfoType")
            : fields.getOrDefault("Event", fields.getOrDefault("MsgType", "unknown"));
        String appId = appIdOf(pathAppId, fields);
        String dedupeKey = infoType + ":" + sha1(xml);
        if (!store.recordPush(dedupeKey, infoType, appId, clock.instant(), withoutCredentials(xml))) {
            log.debug("WeChat push {} replayed, ignored", infoType);
            return Outcome.REPLAYED;
        }
        try {
            handle(infoType, appId, fields);
            return Outcome.ACCEPTED;
        } catch (RuntimeException e) {
            // Not handled: forget it so that the platform's next delivery is handled instead of taken for a replay.
            store.forgetPush(dedupeKey);
            log.warn("WeChat push {} for {} could not be handled: {}", infoType, appId, e.toString());
            return Outcome.FAILED;
        }
    }

    private void handle(String infoType, String appId, Map<String, String> f) {
        Instant createdAt = Instant.ofEpochSecond(parseLong(f.get("CreateTime"), clock.instant().getEpochSecond()));
        switch (infoType) {
            case "component_verify_ticket" -> store.saveTicket(settings.componentAppId(),
                f.get("ComponentVerifyTicket"), createdAt);
            case "authorized", "updateauthorized" -> authorized(appId, f.get("AuthorizationCode"), f.get("PreAuthCode"),
                createdAt);
            case "unauthorized" -> {
                store.upsertAuthorizer(appId, "REVOKED", null, null, clock.instant());
                tokens.forget(WechatTokenManager.AUTHORIZER, appId);
            }
            case "weapp_audit_success" -> auditResult(appId, "SUCCESS", null, null);
            case "weapp_audit_fail" -> auditResult(appId, "FAIL", f.get("Reason"), f.get("ScreenShot"));
            case "weapp_audit_delay" -> auditResult(appId, "DELAY", f.get("Reason"), null);
            default -> log.info("WeChat push {} recorded, nothing to do", infoType);
        }
    }

    private void authorized(String appId, String authCode, String preAuthCode, Instant createdAt) {
        store.upsertAuthorizer(appId, "AUTHORIZED", null, createdAt, clock.instant());
        if (authCode != null) {
            // If WeChat is unreachable now, the token manager finds the refresh token later (api_get_authorizer_list).
            try {
                authorizations.redeem(authCode, createdAt);
            } catch (WechatApiException e) {
                log.warn("authorizer {} recorded without details: {}", appId, e.getMessage());
            }
        }
        events.publishEvent(new MiniProgramAuthorized(appId, preAuthCode));
    }

    private void auditResult(String appId, String status, String reason, String screenshot) {
        if (appId == null) {
            log.warn("audit result {} for an unknown mini program, recorded only", status);
            return;
        }
        long auditId = 0;
        try {
            WechatClient.AuditStatus latest = client.latestAudit(appId);
            auditId = latest == null ? 0 : latest.auditId();
        } catch (WechatApiException e) {
            log.info("audit id of {} not known now: {}", appId, e.getMessage());
        }
        List<String> screenshots = new ArrayList<>();
        if (screenshot != null) {
            for (String s : screenshot.split("\\|")) {
                if (!s.isBlank()) {
                    screenshots.add(s.trim());
                }
            }
        }
        events.publishEvent(new AuditResultReceived(appId, auditId, status, reason, List.copyOf(screenshots)));
        switch (status) {
            case "SUCCESS" -> auditResults.passed(appId);
            case "DELAY" -> auditResults.delayed(appId, reason);
            default -> auditResults.rejected(appId, reason, List.copyOf(screenshots));
        }
    }

    /** Authorization events name the authorizer; message events come to /wechat/callback/{appid} or name its gh_ id. */
    private String appIdOf(String pathAppId, Map<String, String> f) {
        if (f.containsKey("AuthorizerAppid")) {
            return f.get("AuthorizerAppid");
        }
        if (pathAppId != null && !pathAppId.isBlank()) {
            return pathAppId;
        }
        String userName = f.get("ToUserName");
        return userName == null ? null
            : store.authorizerByUserName(userName).map(WechatStore.AuthorizerRecord::appId).orElse(null);
    }

    /** The flat XML WeChat pushes; read with a pattern rather than a parser, so no entity is ever resolved. */
    static Map<String, String> parse(String xml) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = ELEMENT.matcher(xml);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2) != null ? m.group(2) : m.group(3).trim());
        }
        return fields;
    }

    static String withoutCredentials(String xml) {
        return CREDENTIAL.matcher(xml).replaceAll("<$1>(removed)</$1>");
    }

    private static long parseLong(String s, long fallback) {
        try {
            return s == null ? fallback : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
