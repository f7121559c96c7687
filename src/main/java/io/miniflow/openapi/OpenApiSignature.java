package io.miniflow.openapi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature scheme of /openapi (docs/openapi.md): the Authorization header
 * {@code MF-HMAC-SHA256 appid="..",timestamp="..",nonce="..",signature=".."}, the string to sign (method, path with
 * its query string as sent, timestamp, nonce, body, each followed by {@code \n}) and
 * Base64(HMAC-SHA256(appSecret, string to sign)).
 */
final class OpenApiSignature {

    static final String SCHEME = "MF-HMAC-SHA256";
    private static final String HMAC = "HmacSHA256";

    /**
     * The four parameters in this order, nothing else: a strict form leaves no question which value was meant when
     * a header names one twice. Values cannot hold quotes or commas, so nothing needs escaping; a nonce may be hex, a UUID or base64(url).
     */
    private static final Pattern HEADER = Pattern.compile(SCHEME + " appid=\"([A-Za-z0-9]{1,32})\","
        + "timestamp=\"([0-9]{1,12})\",nonce=\"([A-Za-z0-9_.~+/=-]{8,64})\",signature=\"([A-Za-z0-9+/=]{1,128})\"");

    /** The parsed header. {@code toString()} leaves the signature out, as it is logged when refused. */
    record Credentials(String appId, long timestamp, String nonce, String signature) {
        @Override
        public String toString() {
            return "Credentials[appid=" + appId + ", timestamp=" + timestamp + ", nonce=" + nonce + "]";
        }
    }

    private OpenApiSignature() {
    }

    /** Empty when the header is missing or not exactly in the documented form. */
    static Optional<Credentials> parse(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        Matcher m = HEADER.matcher(authorization.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4)));
    }

    /** The bytes that are signed: the body is taken as the bytes sent, whatever their encoding. */
    static byte[] stringToSign(String method, String pathAndQuery, long timestamp, String nonce, byte[] body) {
        byte[] head = (method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n")
            .getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length + 1];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        all[all.length - 1] = '\n';
        return all;
    }

    static String sign(String appSecret, byte[] stringToSign) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), HMAC));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Compared in constant time, so the answer's timing tells nothing about how much of a guess was right. */
    static boolean matches(String appSecret, byte[] stringToSign, String signature) {
        return MessageDigest.isEqual(sign(appSecret, stringToSign).getBytes(StandardCharsets.US_ASCII),
            signature.getBytes(StandardCharsets.US_ASCII));
    }
}
