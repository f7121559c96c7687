package io.miniflow.sandbox.wechat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

/**
 * What a merchant's scan and click on the authorization page do, for scripts and tests: follows an authorization
 * link (the page itself, or a landing link that redirects to it) to the page's parameters, confirms like the page,
 * then calls redirect_uri with the auth code like the merchant's browser.
 */
@Component
class WechatSandboxConsent {

    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Duration HOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(30);

    /** The outcome: the authorized app, the page's redirect_uri, and the HTTP status it answered the browser call. */
    record Result(String appId, String redirectUri, Integer callbackStatus, String callbackError) {
    }

    private final WechatSandboxPlatform platform;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(2)).build();

    WechatSandboxConsent(WechatSandboxPlatform platform) {
        this.platform = platform;
    }

    /**
     * @param url an http(s) URL of the authorization page or one that redirects to it (at most {@value MAX_REDIRECTS}
     *            hops)
     * @param appId the existing sandbox mini program to authorize; null or blank creates a new one
     * @param nickName the new mini program's name (only when one is created)
     * @throws IllegalArgumentException when the URL is not usable or does not lead to the page
     * @throws SandboxWxError 61010 when the page's pre_auth_code is invalid, expired or used, as the page answers
     */
    Result consent(String url, String appId, String nickName) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        Map<String, String> page = followToPage(httpUri(url.trim(), "url"));
        String componentAppId = page.get("component_appid");
        if (!platform.isThisComponent(componentAppId)) {
            throw new IllegalArgumentException("Unknown third-party platform " + componentAppId);
        }
        String redirectUri = page.get("redirect_uri");
        // Checked before the code is used up: the browser could not go there either.
        httpUri(redirectUri, "redirect_uri");
        WechatSandboxPlatform.Authorization authorization =
            platform.confirmAuthorization(page.get("pre_auth_code"), appId, nickName);
        URI target = URI.create(authorization.redirectTarget(redirectUri));
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(target).timeout(CALLBACK_TIMEOUT).GET()
                .build(), HttpResponse.BodyHandlers.discarding());
            return new Result(authorization.appId(), redirectUri, response.statusCode(), null);
        } catch (IOException e) {
            // The app is authorized and the push is sent; only the browser's landing failed.
            return new Result(authorization.appId(), redirectUri, null, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(authorization.appId(), redirectUri, null, e.toString());
        }
    }

    /** The authorization page's query parameters, reached from {@code start} through at most five redirects. */
    private Map<String, String> followToPage(URI start) {
        URI current = start;
        for (int hop = 0; ; hop++) {
            Map<String, String> query = query(current);
            if (query.containsKey("component_appid") && query.containsKey("pre_auth_code")
                && query.containsKey("redirect_uri")) {
                return query;
            }
            if (hop == MAX_REDIRECTS) {
                throw new IllegalArgumentException("no authorization page reached after " + MAX_REDIRECTS
                    + " redirects from " + start);
            }
            HttpResponse<Void> response;
            try {
                response = http.send(HttpRequest.newBuilder(current).timeout(HOP_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                throw new IllegalArgumentException("no authorization page reached: " + current + " failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalArgumentException("interrupted while following " + current);
            }
            String location = response.headers().firstValue("Location").orElse(null);
            if (!REDIRECTS.contains(response.statusCode()) || location == null) {
                throw new IllegalArgumentException("no authorization page reached: " + current + " answered "
                    + response.statusCode() + " without a redirect");
            }
            try {
                current = httpUri(current.resolve(new URI(location)).toString(), "redirect Location");
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("no authorization page reached: bad Location " + location);
            }
        }
    }

    private static URI httpUri(String value, String what) {
        URI uri;
        try {
            uri = value == null ? null : new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a URL: " + value);
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + " must be an http(s) URL: " + value);
        }
        return uri;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!name.isEmpty() && !value.isEmpty()) {
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
