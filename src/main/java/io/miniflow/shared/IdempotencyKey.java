package io.miniflow.shared;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * What makes a creating call the same call again: the business key of the process (release, environment) and the
 * step. The platform tokens are derived from it, never random, so an engine retry or a restart after a crash sends
 * the same ClientToken (Aliyun) / out_trade_no (WeChat Pay) and the platform answers with what it created the first
 * time. Shared because cloud and payment both create things on outside platforms.
 */
public record IdempotencyKey(String businessKey, String step) {

    public IdempotencyKey {
        Objects.requireNonNull(businessKey, "businessKey");
        Objects.requireNonNull(step, "step");
        if (businessKey.isBlank() || step.isBlank()) {
            throw new IllegalArgumentException("business key and step must not be blank");
        }
    }

    public static IdempotencyKey of(String businessKey, String step) {
        return new IdempotencyKey(businessKey, step);
    }

    /** Aliyun ClientToken: a name-based UUID (36 ASCII characters, within the 64 allowed). */
    public String clientToken() {
        return UUID.nameUUIDFromBytes(text().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** WeChat Pay out_trade_no: 32 characters of [0-9a-f] (6–32 allowed, letters and digits). */
    public String outTradeNo() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String text() {
        return businessKey + "\u0000" + step;
    }
}
