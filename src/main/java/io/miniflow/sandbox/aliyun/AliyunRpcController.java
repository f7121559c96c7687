package io.miniflow.sandbox.aliyun;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The RPC entry point of the Aliyun emulator: the SDK posts {@code /sandbox/aliyun/?Action=...&Version=...} (it
 * keeps the path of the configured endpoint and signs over "/"). Authenticates, injects the configured latency and
 * faults, then runs the action of the product named by Version under one lock (state changes are serialised, as
 * ClientToken checks need).
 */
@RestController
@RequestMapping("/sandbox/aliyun")
class AliyunRpcController {

    private final Map<String, RpcProduct> products;
    private final RpcAuthenticator authenticator;
    private final AliyunSandboxControl control;
    private final ReentrantLock lock = new ReentrantLock();

    AliyunRpcController(List<RpcProduct> products, RpcAuthenticator authenticator, AliyunSandboxControl control) {
        this.products = products.stream().collect(Collectors.toMap(RpcProduct::version, Function.identity()));
        this.authenticator = authenticator;
        this.control = control;
    }

    @RequestMapping(path = {"", "/"}, method = {RequestMethod.GET, RequestMethod.POST})
    ResponseEntity<String> call(HttpServletRequest http) {
        Map<String, String> params = new HashMap<>();
        http.getParameterMap().forEach((name, values) -> params.put(name, values.length > 0 ? values[0] : ""));
        String requestId = UUID.randomUUID().toString().toUpperCase();
        String format = params.getOrDefault("Format", "XML");
        RpcProduct product = products.get(params.get("Version"));
        String hostId = product == null ? "aliyuncs.com" : product.hostId();
        String action = params.getOrDefault("Action", "");
        AliyunSandboxControl.ActionStats stats = control.stats(action.isEmpty() ? "(none)" : action);
        stats.calls.incrementAndGet();
        pause(control.settings().latencyMillis());
        try {
            authenticator.verify(http.getMethod(), params);
            if (product == null) {
                throw AliyunError.badRequest("InvalidVersion", "Specified parameter Version is not valid.");
            }
            control.faultFor(action).ifPresent(fault -> {
                throw fault;
            });
            RpcRequest request = new RpcRequest(action, params, requestId);
            Map<String, Object> body;
            lock.lock();
            try {
                body = product.handle(request);
            } finally {
                lock.unlock();
            }
            return RpcResponses.ok(request, format, body);
        } catch (AliyunError e) {
            stats.errors.incrementAndGet();
            return RpcResponses.error(requestId, hostId, format, e);
        }
    }

    private static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
