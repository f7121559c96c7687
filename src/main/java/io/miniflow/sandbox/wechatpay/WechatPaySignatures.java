package io.miniflow.sandbox.wechatpay;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * WeChat Pay API v3 signatures, both ways: the merchant's WECHATPAY2-SHA256-RSA2048 Authorization on requests
 * (method, URL, timestamp, nonce, body) and the platform's signature on responses and notifications (timestamp,
 * nonce, body), plus the AES-256-GCM encryption of notification resources with the APIv3 key.
 */
@Component
class WechatPaySignatures {

    static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
    private static final Pattern FIELD = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Clock clock;

    WechatPaySignatures(Clock clock) {
        this.clock = clock;
    }

    /** Checks the Authorization header; returns a refusal message, or null when the request is the merchant's. */
    String refusal(SandboxMerchant merchant, String authorization, String method, String canonicalUrl, String body) {
        if (authorization == null || !authorization.startsWith(SCHEMA + " ")) {
            return "Authorization header is missing or not " + SCHEMA;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(authorization.substring(SCHEMA.length() + 1));
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        for (String name : new String[] {"mchid", "nonce_str", "signature", "timestamp", "serial_no"}) {
            if (fields.get(name) == null || fields.get(name).isEmpty()) {
                return "Authorization lacks " + name;
            }
        }
        if (!merchant.mchid().equals(fields.get("mchid"))) {
            return "unknown mchid " + fields.get("mchid");
        }
        if (!merchant.serialNo().equalsIgnoreCase(fields.get("serial_no"))) {
            return "serial_no does not name the merchant's certificate";
        }
        long timestamp;
        try {
            timestamp = Long.parseLong(fields.get("timestamp"));
        } catch (NumberFormatException e) {
            return "timestamp is not a number";
        }
        if (Duration.between(Instant.ofEpochSecond(timestamp), clock.instant()).abs().toMinutes() >= 5) {
            return "timestamp outside five minutes";
        }
        String message = method + "\n" + canonicalUrl + "\n" + fields.get("timestamp") + "\n" + fields.get("nonce_str")
            + "\n" + (body == null ? "" : body) + "\n";
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(merchant.merchantPublicKey());
            verifier.update(message.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(fields.get("signature"))) ? null : "signature mismatch";
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return "signature unreadable";
        }
    }

    /** The headers the platform adds to a response or notification carrying {@code body}, spelled as it does. */
    HttpHeaders signedHeaders(SandboxMerchant merchant, String body) {
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        String nonce = SandboxMerchants.alnum(32);
        HttpHeaders headers = new HttpHeaders();
        headers.set("Wechatpay-Timestamp", timestamp);
        headers.set("Wechatpay-Nonce", nonce);
        headers.set("Wechatpay-Serial", merchant.platformPublicKeyId());
        headers.set("Wechatpay-Signature", sign(merchant, timestamp + "\n" + nonce + "\n" + body + "\n"));
        headers.set("Wechatpay-Signature-Type", SCHEMA);
        headers.set("Request-ID", UUID.randomUUID().toString().replace("-", ""));
        return headers;
    }

    private static String sign(SandboxMerchant merchant, String message) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(merchant.platformPrivateKey());
            signer.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** AEAD_AES_256_GCM as the platform encrypts notification resources: Base64(ciphertext || tag). */
    static String encrypt(String apiV3Key, String nonce, String associatedData, String plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(apiV3Key.getBytes(StandardCharsets.UTF_8), "AES"),
                new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
