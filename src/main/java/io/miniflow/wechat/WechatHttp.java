package io.miniflow.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.shared.PlatformCalls;
import io.miniflow.shared.QuickRetries;

import org.springframework.stereotype.Component;

/**
 * One HTTP exchange with api.weixin.qq.com (or the sandbox at the configured base URL): JSON in, JSON out, errcode
 * turned into {@link WechatApiException}. A call the platform failed in passing is tried again at once a few times
 * ({@link QuickRetries}, {@link WechatErrors#quickRetry}); everything else is the engine's to try again.
 */
@Component
class WechatHttp {

    private final WechatSettings settings;
    private final ObjectMapper json;
    private final WechatRateLimit rateLimit;
    private final PlatformCalls calls;
    private final QuickRetries.Platform retries;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WechatHttp(WechatSettings settings, ObjectMapper json, WechatRateLimit rateLimit, PlatformCalls calls,
               QuickRetries quickRetries) {
        this.settings = settings;
        this.json = json;
        this.rateLimit = rateLimit;
        this.calls = calls;
        this.retries = quickRetries.forPlatform("wechat", WechatErrors::quickRetry, WechatHttp::code);
    }

    /** POSTs a JSON body; {@code query} holds the token parameter and others (values URL-encoded here). */
    JsonNode post(String api, Map<String, String> query, Object body) {
        byte[] payload;
        try {
            payload = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write request of " + api, e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri(api, query)).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        return timed(api, () -> parse(api, send(api, request)));
    }

    JsonNode get(String api, Map<String, String> query) {
        HttpRequest request = HttpRequest.newBuilder(uri(api, query)).timeout(Duration.ofSeconds(15)).GET().build();
        return timed(api, () -> parse(api, send(api, request)));
    }

    /** A GET that answers an image, or JSON when it fails (get_qrcode). */
    byte[] getBytes(String api, Map<String, String> query) {
        HttpRequest request = HttpRequest.newBuilder(uri(api, query)).timeout(Duration.ofSeconds(15)).GET().build();
        return timed(api, () -> {
            HttpResponse<byte[]> response = send(api, request);
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (type.contains("json") || type.startsWith("text/plain")) {
                parse(api, response);
                throw WechatErrors.of(api, -1, "expected an image, got " + type);
            }
            return response.body();
        });
    }

    /**
     * Every exchange, answer read, is one {@link PlatformCalls#CALLS} sample: errcode, HTTP status or "network"; a
     * quick retry is a further exchange and sample.
     */
    private <T> T timed(String api, java.util.function.Supplier<T> exchange) {
        return retries.call(api, () -> calls.record("wechat", api, exchange, WechatHttp::code));
    }

    private static String code(RuntimeException e) {
        return e instanceof WechatApiException w ? switch (w.errcode()) {
            case WechatApiException.NETWORK -> "network";
            case WechatApiException.HTTP_STATUS -> w.errmsg();
            default -> Integer.toString(w.errcode());
        } : e.getClass().getSimpleName();
    }

    private URI uri(String api, Map<String, String> query) {
        StringBuilder url = new StringBuilder(settings.apiBaseUrl()).append('/').append(api);
        char sep = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() != null) {
                url.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(),
                    StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return URI.create(url.toString());
    }

    private HttpResponse<byte[]> send(String api, HttpRequest request) {
        long waitStart = System.nanoTime();
        boolean permitted = rateLimit.acquire();
        calls.rateLimitWait("wechat", Duration.ofNanos(System.nanoTime() - waitStart), permitted);
        if (!permitted) {
            throw new WechatApiException(api, WechatApiException.NETWORK, "rate limit of " + rateLimit.perSecond()
                + " calls/s for all nodes reached", true, WechatErrors.messageKey(WechatApiException.NETWORK));
        }
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new WechatApiException(api, WechatApiException.NETWORK, e.toString(), true,
                WechatErrors.messageKey(WechatApiException.NETWORK));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WechatApiException(api, WechatApiException.NETWORK, "interrupted", true,
                WechatErrors.messageKey(WechatApiException.NETWORK));
        }
    }

    private JsonNode parse(String api, HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new WechatApiException(api, WechatApiException.HTTP_STATUS, Integer.toString(response.statusCode()),
                true, WechatErrors.messageKey(WechatApiException.HTTP_STATUS));
        }
        JsonNode node;
        try {
            node = json.readTree(response.body());
        } catch (IOException e) {
            throw WechatErrors.of(api, -1, "unreadable answer: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw WechatErrors.of(api, -1, "unreadable answer");
        }
        int errcode = node.path("errcode").asInt(0);
        if (errcode != 0) {
            throw WechatErrors.of(api, errcode, node.path("errmsg").asText(""));
        }
        return node;
    }
}
