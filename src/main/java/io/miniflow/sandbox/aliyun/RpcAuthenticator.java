package io.miniflow.sandbox.aliyun;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Checks a call the way the RPC gateway does, in its order: common parameters, timestamp within 15 minutes,
 * a known AccessKeyId, the exact signature, then a nonce not seen within the last 15 minutes.
 */
@Component
class RpcAuthenticator {

    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Map<String, String> secrets;
    private final Clock clock;
    private final Map<String, Instant> nonces = new ConcurrentHashMap<>();

    RpcAuthenticator(@Value("${miniflow.sandbox.aliyun.access-key-id:LTAIsandbox}") String accessKeyId,
                     @Value("${miniflow.sandbox.aliyun.access-key-secret:sandbox-secret}") String secret,
                     Clock clock) {
        this.secrets = Map.of(accessKeyId, secret);
        this.clock = clock;
    }

    void verify(String httpMethod, Map<String, String> params) {
        for (String name : new String[] {"Action", "Version", "AccessKeyId", "Signature", "SignatureMethod",
            "SignatureNonce", "Timestamp"}) {
            if (params.get(name) == null || params.get(name).isEmpty()) {
                throw AliyunError.missing(name);
            }
        }
        if (!"HMAC-SHA1".equals(params.get("SignatureMethod"))) {
            throw AliyunError.badRequest("InvalidSignatureMethod",
                "Specified signature method is not valid: " + params.get("SignatureMethod"));
        }
        String version = params.get("SignatureVersion");
        if (version != null && !"1.0".equals(version)) {
            throw AliyunError.badRequest("UnsupportedSignatureVersion",
                "Specified signature version is not supported: " + version);
        }
        Instant now = clock.instant();
        Instant timestamp;
        try {
            timestamp = Instant.parse(params.get("Timestamp"));
        } catch (DateTimeParseException e) {
            throw AliyunError.badRequest("InvalidTimeStamp.Format",
                "Specified time stamp or date value is not well formatted.");
        }
        if (Duration.between(timestamp, now).abs().compareTo(WINDOW) > 0) {
            throw AliyunError.badRequest("InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.");
        }
        String secret = secrets.get(params.get("AccessKeyId"));
        if (secret == null) {
            throw AliyunError.notFound("InvalidAccessKeyId.NotFound", "Specified access key is not found.");
        }
        String stringToSign = RpcSignature.stringToSign(httpMethod, params);
        if (!RpcSignature.matches(RpcSignature.sign(secret, stringToSign), params.get("Signature"))) {
            throw AliyunError.badRequest("SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation. server string to sign is:" + stringToSign);
        }
        purgeNonces(now);
        String nonceKey = params.get("AccessKeyId") + ":" + params.get("SignatureNonce");
        if (nonces.putIfAbsent(nonceKey, now.plus(WINDOW)) != null) {
            throw AliyunError.badRequest("SignatureNonceUsed", "Specified signature nonce was used already.");
        }
    }

    private void purgeNonces(Instant now) {
        if (nonces.size() > 10_000) {
            nonces.values().removeIf(expiry -> expiry.isBefore(now));
        }
    }
}
