package io.miniflow.sandbox.receiver;

import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /sandbox/receiver/{name}}: a webhook endpoint that records what it receives (for the control API to show)
 * and answers 200 {"received":true}, or the status of a fault set through the control API.
 */
@RestController
class WebhookReceiverController {

    static final int MAX_BODY = 64 * 1024;

    private final WebhookReceivers receivers;
    private final Clock clock;

    WebhookReceiverController(WebhookReceivers receivers, Clock clock) {
        this.receivers = receivers;
        this.clock = clock;
    }

    @RequestMapping({"/sandbox/receiver/{name}", "/sandbox/receiver/{name}/**"})
    ResponseEntity<Map<String, Object>> receive(@PathVariable String name, HttpServletRequest request)
            throws IOException {
        WebhookReceivers.requireName(name);
        byte[] body;
        boolean truncated;
        try (InputStream in = request.getInputStream()) {
            byte[] read = in.readNBytes(MAX_BODY + 1);
            truncated = read.length > MAX_BODY;
            body = truncated ? Arrays.copyOf(read, MAX_BODY) : read;
        }
        int status = receivers.receive(name, new WebhookReceivers.Request(clock.instant().toString(),
            request.getMethod(), request.getRequestURI(), request.getQueryString(), headers(request),
            new String(body, StandardCharsets.UTF_8), truncated));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("received", status < 300);
        if (status >= 300) {
            answer.put("status", status);
        }
        return ResponseEntity.status(status).body(answer);
    }

    private static Map<String, String> headers(HttpServletRequest request) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String header : Collections.list(request.getHeaderNames())) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-miniflow-") || lower.equals("authorization") || lower.equals("content-type")) {
                kept.put(header, String.join(", ", Collections.list(request.getHeaders(header))));
            }
        }
        return kept;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return WebhookReceiverAdminController.error(e);
    }
}
