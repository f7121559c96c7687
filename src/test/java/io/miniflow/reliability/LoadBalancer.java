package io.miniflow.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * What stands in front of a Miniflow cluster for the platforms' pushes: each request goes to the next node in turn,
 * and to another when a node does not answer (killed). A push no node took is answered 502, as a real balancer
 * would, and the platform does not send it again (Miniflow's poller finds the result).
 */
final class LoadBalancer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> nodes = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LoadBalancer(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "load-balancer");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    /** The nodes requests go to, e.g. http://localhost:41234. */
    void nodes(List<String> bases) {
        nodes.clear();
        nodes.addAll(bases);
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String pathAndQuery = exchange.getRequestURI().getRawPath()
            + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        int start = Math.floorMod(next.getAndIncrement(), Math.max(1, nodes.size()));
        for (int i = 0; i < nodes.size(); i++) {
            String node = nodes.get((start + i) % nodes.size());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                request.header("Content-Type", type);
            }
            try {
                HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                reply(exchange, answer.statusCode(), answer.body());
                return;
            } catch (IOException unreachable) {
                // the next node
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        reply(exchange, 502, "no node answered".getBytes());
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
