package io.miniflow.sandbox.receiver;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The receivers' control API (JSON): read what a receiver got, make it fail, clear it. */
@RestController
@RequestMapping("/sandbox/admin/receiver/{name}")
class WebhookReceiverAdminController {

    private final WebhookReceivers receivers;

    WebhookReceiverAdminController(WebhookReceivers receivers) {
        this.receivers = receivers;
    }

    /** {"name", "count" (received since the last clear), "deliveries" (kept ones with index ≥ since, newest last)}. */
    @GetMapping
    Map<String, Object> deliveries(@PathVariable String name, @RequestParam(defaultValue = "0") long since) {
        WebhookReceivers.Snapshot snapshot = receivers.deliveries(name, since);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("count", snapshot.count());
        r.put("deliveries", snapshot.deliveries());
        return r;
    }

    /** Forgets the deliveries and the fault. */
    @DeleteMapping
    Map<String, Object> clear(@PathVariable String name) {
        receivers.clear(name);
        return ok();
    }

    /** {"status": 500, "count": N}: the next N deliveries (absent or 0: all until cleared) answer that status. */
    @PostMapping("/faults")
    Map<String, Object> fault(@PathVariable String name, @RequestBody Map<String, Object> request) {
        int status = number(request.get("status"), 500);
        int count = number(request.get("count"), 0);
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be 200..599");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 (until cleared) or more");
        }
        receivers.setFault(name, status, count);
        return ok();
    }

    @DeleteMapping("/faults")
    Map<String, Object> clearFault(@PathVariable String name) {
        receivers.clearFault(name);
        return ok();
    }

    @ExceptionHandler({IllegalArgumentException.class, ClassCastException.class})
    ResponseEntity<Map<String, Object>> badRequest(RuntimeException e) {
        return error(e);
    }

    /** The control APIs' error answer: 400 {"errcode": 400, "errmsg": ...}. */
    static ResponseEntity<Map<String, Object>> error(RuntimeException e) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errcode", 400);
        r.put("errmsg", String.valueOf(e.getMessage()));
        return ResponseEntity.badRequest().body(r);
    }

    private static Map<String, Object> ok() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errcode", 0);
        r.put("errmsg", "ok");
        return r;
    }

    private static int number(Object value, int fallback) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            return Integer.parseInt(s.trim());
        }
        return fallback;
    }
}
