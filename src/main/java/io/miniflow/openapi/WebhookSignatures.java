package io.miniflow.openapi;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * Signs what Miniflow sends to a SaaS platform (tenant webhooks) the way the platform signs its OpenAPI requests:
 * the same Authorization header and string to sign, with the workspace's newest active team key, so the platform
 * checks Miniflow's calls with the code it already has (docs/openapi.md, "Webhooks").
 */
@Component
public class WebhookSignatures {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final OpenApiKeyStore keys;
    private final Clock clock;

    WebhookSignatures(OpenApiKeyStore keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** The Authorization header for this request; empty when the workspace has no active key to sign with. */
    public Optional<String> authorization(String workspace, String method, String pathAndQuery, byte[] body) {
        return keys.newestActive(workspace).map(key -> {
            long timestamp = clock.instant().getEpochSecond();
            byte[] nonceBytes = new byte[16];
            RANDOM.nextBytes(nonceBytes);
            String nonce = HexFormat.of().formatHex(nonceBytes);
            String signature = OpenApiSignature.sign(key.secret(),
                OpenApiSignature.stringToSign(method, pathAndQuery, timestamp, nonce, body));
            return OpenApiSignature.SCHEME + " appid=\"" + key.appId() + "\",timestamp=\"" + timestamp + "\",nonce=\""
                + nonce + "\",signature=\"" + signature + "\"";
        });
    }
}
