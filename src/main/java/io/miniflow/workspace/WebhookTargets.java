package io.miniflow.workspace;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.miniflow.shared.MiniflowException;

import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Where a workspace webhook may point, and the one way it is called. A webhook URL is typed by a workspace admin
 * but fetched by the server, so without this rule it reaches what only the server can: the database, the
 * actuator, a cloud metadata service (169.254.169.254). Hosts that resolve to an internal address are refused
 * when the URL is set and again at every delivery, and delivery connects only to the addresses it checked (DNS
 * may answer differently the second time) and follows no redirect. An admin may allow named hosts
 * ({@code miniflow.webhooks.allowed-hosts}), e.g. a receiver on the same machine in the sandbox.
 */
@Component
public class WebhookTargets {

    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");

    private final Set<String> allowedHosts;
    private final Dns system;
    private final OkHttpClient client;

    /** A YAML list or a comma-separated value (MINIFLOW_WEBHOOKS_ALLOWEDHOSTS=hooks.internal,10.0.0.5). */
    @Autowired
    WebhookTargets(Environment environment) {
        this(Binder.get(environment).bind("miniflow.webhooks.allowed-hosts", Bindable.listOf(String.class))
            .orElse(List.of()), Dns.SYSTEM);
    }

    /** With a name service of the caller's (tests pretend DNS answers with a private address). */
    WebhookTargets(List<String> allowedHosts, Dns system) {
        this.allowedHosts = allowedHosts.stream().map(WebhookTargets::normalizeHost).filter(h -> !h.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
        this.system = system;
        this.client = new OkHttpClient.Builder()
            .dns(this::lookup)
            // A proxy would resolve the host itself, out of this check's sight.
            .proxy(Proxy.NO_PROXY)
            .followRedirects(false)
            .followSslRedirects(false)
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(10))
            .callTimeout(Duration.ofSeconds(20))
            .build();
    }

    /**
     * The URL, if a webhook may point there: http or https, and a host that is allowed by configuration or
     * resolves to public addresses only. Otherwise 400 with a message key of i18n/security.
     */
    public URI requireAllowed(String url) {
        return requireAllowed(url, false);
    }

    /**
     * The same; with {@code httpsOnly}, plain http is refused too unless the host is allowed by configuration (a
     * receiver on the same machine in the sandbox).
     */
    public URI requireAllowed(String url, boolean httpsOnly) {
        URI uri = parse(url);
        String host = normalizeHost(uri.getHost());
        if (allowedHosts.contains(host)) {
            return uri;
        }
        if (httpsOnly && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw MiniflowException.badRequest("webhook.httpsRequired");
        }
        List<InetAddress> addresses;
        try {
            addresses = system.lookup(host);
        } catch (UnknownHostException e) {
            throw MiniflowException.badRequest("webhook.hostUnknown", host);
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw MiniflowException.badRequest("webhook.addressRefused", host, address.getHostAddress());
            }
        }
        return uri;
    }

    /** POSTs the JSON body; returns the HTTP status. Refused targets and network failures throw. */
    public int post(String url, String json) throws IOException {
        return post(url, json, java.util.Map.of());
    }

    /** The same, with these headers (a signature, a delivery id). */
    public int post(String url, String json, java.util.Map<String, String> headers) throws IOException {
        URI uri = requireAllowed(url);
        Request.Builder request = new Request.Builder().url(uri.toString()).post(RequestBody.create(json, JSON));
        headers.forEach(request::header);
        try (Response response = client.newCall(request.build()).execute()) {
            return response.code();
        }
    }

    /** What a receiver answered: its status and the start of its body (robots answer 200 with an error code inside). */
    public record Answer(int status, String body) {
    }

    /** POSTs the JSON body with these headers, as {@link #post}, and keeps the first 4 KB of the answer's body. */
    public Answer send(String url, String json, java.util.Map<String, String> headers) throws IOException {
        URI uri = requireAllowed(url);
        Request.Builder request = new Request.Builder().url(uri.toString()).post(RequestBody.create(json, JSON));
        headers.forEach(request::header);
        try (Response response = client.newCall(request.build()).execute()) {
            String body = response.body() == null ? "" : response.peekBody(4096).string();
            return new Answer(response.code(), body);
        }
    }

    /**
     * The name service OkHttp connects through: the same rule as {@link #requireAllowed}, applied to the answer
     * the connection actually uses, so a name that turned private since the check still fails.
     */
    List<InetAddress> lookup(String hostname) throws UnknownHostException {
        List<InetAddress> addresses = system.lookup(hostname);
        if (allowedHosts.contains(normalizeHost(hostname))) {
            return addresses;
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new UnknownHostException(hostname + " resolves to the internal address "
                    + address.getHostAddress() + "; not allowed for webhooks");
            }
        }
        return addresses;
    }

    /**
     * Loopback, any-local, link-local, site-local (10/8, 172.16/12, 192.168/16, fec0::/10), multicast, unique-local
     * IPv6 (fc00::/7), "this network" (0/8), carrier-grade NAT (100.64/10), and IPv4 addresses written as IPv6.
     */
    public static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
            || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second <= 127);
        }
        if (address instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true;
            }
            // ::a.b.c.d (IPv4-compatible) reaches the IPv4 address on many stacks; ::ffff:a.b.c.d the JDK already
            // turns into an Inet4Address.
            boolean embedsIpv4 = Arrays.equals(Arrays.copyOf(b, 12), new byte[12]);
            if (embedsIpv4) {
                try {
                    return isInternal(InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }

    private static URI parse(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw MiniflowException.badRequest("workspace.webhookInvalid");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw MiniflowException.badRequest("workspace.webhookInvalid");
        }
    }

    /** Host names compare case-insensitively; IPv6 literals without their brackets ("[::1]" is "::1"). */
    private static String normalizeHost(String host) {
        String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
