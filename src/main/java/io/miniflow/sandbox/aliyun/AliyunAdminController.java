package io.miniflow.sandbox.aliyun;

import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Control API of the Aliyun emulator for tests and demos: latency, fault rates and forced faults, instance and
 * command timings, command outcomes, stock-out, statistics per action, and the emulated app on each instance with the
 * versions that fail their health check.
 */
@RestController
@RequestMapping("/sandbox/admin/aliyun")
class AliyunAdminController {

    private final AliyunSandboxControl control;
    private final EmulatedApps apps;

    AliyunAdminController(AliyunSandboxControl control, EmulatedApps apps) {
        this.control = control;
        this.apps = apps;
    }

    @GetMapping
    Map<String, Object> view() {
        return control.view();
    }

    @PutMapping("/settings")
    AliyunSandboxControl.Settings update(@RequestBody AliyunSandboxControl.SettingsUpdate update) {
        return control.update(update);
    }

    /** Queues faults: the next {@code times} calls of {@code action} ("*" or absent: any action) fail with {@code code}. */
    record FailNext(String action, String code, Integer times) {
    }

    @PostMapping("/faults")
    Map<String, Object> failNext(@RequestBody FailNext request) {
        control.failNext(request.action(), request.code(), request.times() == null ? 1 : request.times());
        return control.view();
    }

    @GetMapping("/stats")
    Map<String, Map<String, Long>> stats() {
        return control.statsView();
    }

    /** {@code healthy: false} makes every instance running {@code version} fail its health check; true ends that. */
    record VersionHealth(String version, Boolean healthy) {
    }

    @PostMapping("/health")
    Map<String, Object> versionHealth(@RequestBody VersionHealth request) {
        if (request.version() == null || request.version().isBlank()) {
            throw new IllegalArgumentException("version is required");
        }
        if (request.healthy() == null) {
            throw new IllegalArgumentException("healthy is required (true or false)");
        }
        control.versionHealth(request.version(), request.healthy());
        return Map.of("version", request.version(), "healthy", request.healthy());
    }

    /** Each instance's app: {@code instanceId, version, running, healthy} (whether it answers its health check now). */
    @GetMapping("/apps")
    List<Map<String, Object>> apps() {
        return apps.view();
    }

    /** Back to the configured defaults; clears forced faults, statistics and unhealthy versions (resources stay). */
    @DeleteMapping
    ResponseEntity<Void> reset() {
        control.reset();
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> refused(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("message", e.getMessage()));
    }
}
