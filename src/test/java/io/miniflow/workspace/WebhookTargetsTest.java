package io.miniflow.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.miniflow.shared.MiniflowException;

import okhttp3.Dns;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhook targets (security issue #11, SSRF): internal addresses are refused when the URL is set and when it is
 * called, including a name that resolves elsewhere by then, and a redirect is never followed. Literal addresses
 * need no DNS; names are answered by a name service of the test's.
 */
class WebhookTargetsTest {

    private final List<HttpServer> servers = new java.util.ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://127.0.0.1/hook", "http://127.8.9.10/hook", "http://10.0.0.1/hook", "http://10.255.255.254/hook",
        "http://172.16.0.1/hook", "http://172.31.255.254/hook", "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:8080/", "http://0.1.2.3/", "http://100.64.0.1/",
        "http://224.0.0.1/", "http://[::1]/hook", "http://[::]/hook", "http://[fc00::1]/hook", "http://[fd12:3456::1]/",
        "http://[fe80::1]/hook", "http://[ff02::1]/hook", "http://[::ffff:127.0.0.1]/hook", "http://[::ffff:a9fe:a9fe]/",
        "http://[::7f00:1]/hook", "https://127.0.0.1:8443/hook", "HTTP://LOCALHOST/hook",
        // 127.0.0.1 as one decimal number: the JDK reads it as an address, so it is judged as one.
        "http://2130706433/hook"})
    void internalAddressesAreRefused(String url) {
        WebhookTargets targets = new WebhookTargets(List.of(), Dns.SYSTEM);
        assertThatThrownBy(() -> targets.requireAllowed(url))
            .isInstanceOfSatisfying(MiniflowException.class, e -> {
                assertThat(e.status().value()).isEqualTo(400);
                assertThat(e.messageKey()).isEqualTo("webhook.addressRefused");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://93.184.216.34/hook", "https://93.184.216.34:8443/hook?x=1", "http://172.32.0.1/",
        "http://100.128.0.1/", "http://[2606:2800:220:1:248:1893:25c8:1946]/hook"})
    void publicAddressesAreAccepted(String url) {
        assertThat(new WebhookTargets(List.of(), Dns.SYSTEM).requireAllowed(url).toString()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://93.184.216.34/x", "file:///etc/passwd", "gopher://93.184.216.34/", "javascript:alert(1)",
        "http:///nohost", "not a url"})
    void onlyHttpAndHttpsWithAHostAreWebhooks(String url) {
        assertThatThrownBy(() -> new WebhookTargets(List.of(), Dns.SYSTEM).requireAllowed(url))
            .isInstanceOfSatisfying(MiniflowException.class,
                e -> assertThat(e.messageKey()).isEqualTo("workspace.webhookInvalid"));
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() {
        Dns dns = host -> switch (host) {
            case "hooks.example.com" -> addresses("93.184.216.34");
            case "mixed.example.com" -> addresses("93.184.216.34", "10.1.2.3");
            default -> throw new UnknownHostException(host);
        };
        WebhookTargets targets = new WebhookTargets(List.of(), dns);
        assertThat(targets.requireAllowed("https://hooks.example.com/x").getHost()).isEqualTo("hooks.example.com");
        assertThatThrownBy(() -> targets.requireAllowed("https://mixed.example.com/x"))
            .isInstanceOfSatisfying(MiniflowException.class, e -> {
                assertThat(e.messageKey()).isEqualTo("webhook.addressRefused");
                assertThat(e.args()).containsExactly("mixed.example.com", "10.1.2.3");
            });
        assertThatThrownBy(() -> targets.requireAllowed("https://nowhere.example.com/x"))
            .isInstanceOfSatisfying(MiniflowException.class,
                e -> assertThat(e.messageKey()).isEqualTo("webhook.hostUnknown"));
    }

    @Test
    void hostsAllowedByConfigurationMayBeInternal() throws Exception {
        WebhookTargets targets = new WebhookTargets(List.of("127.0.0.1", "[::1]", "Hooks.Internal"), host ->
            addresses("10.0.0.7"));
        assertThat(targets.requireAllowed("http://127.0.0.1:9000/hook")).isNotNull();
        assertThat(targets.requireAllowed("http://[::1]:9000/hook")).isNotNull();
        assertThat(targets.requireAllowed("http://hooks.internal/hook")).isNotNull();
        assertThat(targets.lookup("hooks.internal")).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.7");
        // Only the hosts named: another address in the same range stays refused.
        assertThatThrownBy(() -> targets.requireAllowed("http://127.0.0.2:9000/hook"))
            .isInstanceOf(MiniflowException.class);
    }

    @Test
    void deliveryReachesAnAllowedHost() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        HttpServer hook = server(exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        WebhookTargets targets = new WebhookTargets(List.of("127.0.0.1"), Dns.SYSTEM);
        assertThat(targets.post(url(hook, "/hook"), "{\"event\":\"x\"}")).isEqualTo(204);
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"event\":\"x\"}");
    }

    @Test
    void deliveryChecksTheAddressAgainAndSendsNothingToAnInternalOne() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer hook = server(exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        WebhookTargets targets = new WebhookTargets(List.of(), Dns.SYSTEM);
        assertThatThrownBy(() -> targets.post(url(hook, "/hook"), "{}")).isInstanceOf(MiniflowException.class);
        assertThat(hits).hasValue(0);
    }

    @Test
    void aNameThatTurnsInternalAfterTheCheckIsNotConnectedTo() throws Exception {
        AtomicInteger hits = new AtomicInteger();
        HttpServer hook = server(exchange -> {
            hits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        // DNS rebinding: public when Miniflow checks, this machine when it connects.
        AtomicInteger lookups = new AtomicInteger();
        Dns rebinding = host -> lookups.incrementAndGet() == 1 ? addresses("93.184.216.34") : addresses("127.0.0.1");
        WebhookTargets targets = new WebhookTargets(List.of(), rebinding);
        String url = "http://rebind.example.com:" + hook.getAddress().getPort() + "/hook";
        assertThatThrownBy(() -> targets.post(url, "{}")).isInstanceOf(UnknownHostException.class)
            .hasMessageContaining("127.0.0.1");
        assertThat(lookups.get()).as("checked, then resolved again by the connection").isEqualTo(2);
        assertThat(hits).hasValue(0);
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        AtomicInteger internalHits = new AtomicInteger();
        HttpServer internal = server(exchange -> {
            internalHits.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        HttpServer hook = server(exchange -> {
            exchange.getResponseHeaders().add("Location", url(internal, "/admin"));
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        // Both allowed, so only the rule "no redirects" keeps the second server unreached.
        WebhookTargets targets = new WebhookTargets(List.of("127.0.0.1"), Dns.SYSTEM);
        assertThat(targets.post(url(hook, "/hook"), "{}")).isEqualTo(307);
        assertThat(internalHits).hasValue(0);
    }

    @Test
    void ipv4AddressesWrittenAsIpv6AreJudgedAsIpv4() throws Exception {
        assertThat(WebhookTargets.isInternal(InetAddress.getByName("::a00:1"))).as("::10.0.0.1").isTrue();
        assertThat(WebhookTargets.isInternal(InetAddress.getByName("::5db8:d822"))).as("::93.184.216.34").isFalse();
        assertThat(WebhookTargets.isInternal(InetAddress.getByName("::ffff:192.168.1.1"))).isTrue();
    }

    private HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.start();
        servers.add(server);
        return server;
    }

    private static String url(HttpServer server, String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static List<InetAddress> addresses(String... literals) throws UnknownHostException {
        List<InetAddress> result = new java.util.ArrayList<>();
        for (String literal : literals) {
            result.add(InetAddress.getByName(literal));
        }
        return result;
    }
}
