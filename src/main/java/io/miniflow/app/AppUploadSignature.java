package io.miniflow.app;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a bundle upload (docs/api.md "Signed upload"): the string to sign is the app code, the
 * environment code, the version, the timestamp (Unix seconds) and the bundle's SHA-256 in lowercase hex, each
 * followed by {@code \n}; the signature is Base64(HMAC-SHA256(Upload Key secret as UTF-8, string to sign)).
 */
public final class AppUploadSignature {

    public static final String KEY_HEADER = "X-Miniflow-Key";
    public static final String TIMESTAMP_HEADER = "X-Miniflow-Timestamp";
    public static final String SHA256_HEADER = "X-Miniflow-Content-Sha256";
    public static final String SIGNATURE_HEADER = "X-Miniflow-Signature";

    private static final String HMAC = "HmacSHA256";

    private AppUploadSignature() {
    }

    public static String stringToSign(String appCode, String envCode, String version, long timestamp, String sha256) {
        return appCode + "\n" + envCode + "\n" + version + "\n" + timestamp + "\n" + sha256 + "\n";
    }

    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    public static String sha256(byte[] bundle) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Compared in constant time, so the answer's timing tells nothing about how much of a guess was right. */
    static boolean matches(String secret, String stringToSign, String signature) {
        return MessageDigest.isEqual(sign(secret, stringToSign).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
    }
}
