package io.miniflow.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Serves the local deploy target for demos and tests ({@code miniflow.deploy.serve-local}, on in the sandbox profile):
 * what was deployed (GET /sandbox/deploy/&lt;path&gt;/&lt;app&gt;/&lt;env&gt;/)
 * and sets simulated faults (POST /sandbox/admin/deploy {"deployPath":"/minapp","failures":2,"delayMillis":500}).
 */
@RestController
@ConditionalOnProperty(name = "miniflow.deploy.serve-local", havingValue = "true")
class LocalDeployController {

    private final LocalDirectoryDeployTarget target;
    private final DeployFaults faults;

    LocalDeployController(LocalDirectoryDeployTarget target, DeployFaults faults) {
        this.target = target;
        this.faults = faults;
    }

    @GetMapping("/sandbox/deploy/**")
    ResponseEntity<byte[]> serve(HttpServletRequest request) throws IOException {
        String rest = request.getRequestURI().substring(request.getContextPath().length() + "/sandbox/deploy/".length());
        Path dir = target.root().resolve(rest).normalize();
        Path current = dir.resolve("current.json");
        if (!dir.startsWith(target.root()) || !Files.isRegularFile(current)) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Files.readAllBytes(current));
    }

    @PostMapping("/sandbox/admin/deploy")
    Map<String, Object> configure(@RequestBody FaultSettings settings) {
        if (Boolean.TRUE.equals(settings.clear())) {
            faults.clear();
        }
        if (settings.failures() != null) {
            faults.failNext(settings.deployPath(), settings.failures());
        }
        if (settings.delayMillis() != null) {
            faults.setDelayMillis(settings.delayMillis());
        }
        return state();
    }

    @GetMapping("/sandbox/admin/deploy")
    Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("root", target.root().toString());
        state.put("delayMillis", faults.delayMillis());
        state.put("pendingFailures", faults.pendingFailures());
        return state;
    }

    record FaultSettings(String deployPath, Integer failures, Long delayMillis, Boolean clear) {
    }
}
