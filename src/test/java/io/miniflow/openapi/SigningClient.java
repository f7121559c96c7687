package io.miniflow.openapi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a SaaS platform writes from docs/openapi.md, deliberately without Miniflow's classes: signs a request with a
 * team key and sends it over real HTTP.
 */
public final class SigningClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    public final String appId;
    public final String secret;

    public SigningClient(String baseUrl, String appId, String secret) {
        this.baseUrl = baseUrl;
        this.appId = appId;
        this.secret = secret;
    }

    /** Signed now with a fresh nonce. */
    public HttpResponse<String> send(String method, String pathAndQuery, String body) {
        return send(method, pathAndQuery, body, Instant.now().getEpochSecond(), newNonce());
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String body, long timestamp, String nonce) {
        return sendWith(method, pathAndQuery, body,
            authorization(appId, secret, method, pathAndQuery, timestamp, nonce, body));
    }

    /** Any Authorization header (or none for null), for refusals; further headers as name, value, name, value. */
    public HttpResponse<String> sendWith(String method, String pathAndQuery, String body, String authorization,
                                  String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
            .timeout(Duration.ofSeconds(10))
            .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String newNonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    public static String authorization(String appId, String secret, String method, String pathAndQuery, long timestamp,
                                String nonce, String body) {
        String stringToSign = method + "\n" + pathAndQuery + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
        return "MF-HMAC-SHA256 appid=\"" + appId + "\",timestamp=\"" + timestamp + "\",nonce=\"" + nonce
            + "\",signature=\"" + sign(secret, stringToSign) + "\"";
    }

    public static String sign(String secret, String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
