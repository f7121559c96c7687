package io.miniflow.cloudapp;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.cloudapp.CloudAppRequests.BuildRequest;
import io.miniflow.cloudapp.CloudAppRequests.NewCloudApp;
import io.miniflow.cloudapp.CloudAppViews.AppDetail;
import io.miniflow.cloudapp.CloudAppViews.AppPage;
import io.miniflow.cloudapp.CloudAppViews.BuildHistory;
import io.miniflow.cloudapp.CloudAppViews.BuildStarted;
import io.miniflow.cloudapp.CloudAppViews.EnvironmentView;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;

/** JSON API of cloud apps and their environments (docs/api.md, issue 14). */
@RestController
class CloudAppApiController {

    private final CloudAppService apps;

    CloudAppApiController(CloudAppService apps) {
        this.apps = apps;
    }

    @PostMapping("/api/cloud-apps")
    ResponseEntity<AppDetail> create(Authentication auth, @RequestBody NewCloudApp body) {
        AppDetail created = apps.create(CurrentUser.from(auth), body);
        return ResponseEntity.status(HttpStatus.CREATED).header("Location", "/api/cloud-apps/" + created.name())
            .body(created);
    }

    @GetMapping("/api/cloud-apps")
    AppPage list(Authentication auth, @RequestParam(required = false) String q,
                 @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return apps.search(CurrentUser.from(auth), q, PageRequest.of(page, size));
    }

    @GetMapping("/api/cloud-apps/{name}")
    AppDetail get(Authentication auth, @PathVariable String name) {
        return apps.app(CurrentUser.from(auth), name);
    }

    @DeleteMapping("/api/cloud-apps/{name}")
    ResponseEntity<Void> delete(Authentication auth, @PathVariable String name) {
        apps.delete(CurrentUser.from(auth), name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/cloud-apps/{name}/environments/{env}")
    EnvironmentView environment(Authentication auth, @PathVariable String name, @PathVariable String env) {
        return apps.environment(CurrentUser.from(auth), name, env);
    }

    /** Workspace admins only; the read is in the audit log. */
    @GetMapping("/api/cloud-apps/{name}/environments/{env}/database-password")
    Map<String, String> databasePassword(Authentication auth, @PathVariable String name, @PathVariable String env) {
        return Map.of("password", apps.databasePassword(CurrentUser.from(auth), name, env)
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.database.none", env)));
    }

    @PostMapping("/api/cloud-apps/{name}/environments/{env}/builds")
    ResponseEntity<BuildStarted> build(Authentication auth, @PathVariable String name, @PathVariable String env,
                                       @RequestBody BuildRequest body) {
        BuildStarted started = apps.startBuild(CurrentUser.from(auth), name, env, body);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", started.statusUrl()).body(started);
    }

    /** A new certificate for the prod environment's domain, served from the next deploy on. */
    @PutMapping("/api/cloud-apps/{name}/environments/{env}/certificate")
    CloudAppViews.CertificateView replaceCertificate(@PathVariable String name, @PathVariable String env,
                                                     @RequestBody CloudAppRequests.CertificateRequest request,
                                                     Authentication authentication) {
        return apps.replaceCertificate(CurrentUser.from(authentication), name, env, request);
    }

    @GetMapping("/api/cloud-apps/{name}/environments/{env}/builds/{buildId}")
    BuildHistory buildStatus(Authentication auth, @PathVariable String name, @PathVariable String env,
                             @PathVariable long buildId) {
        return apps.build(CurrentUser.from(auth), name, env, buildId)
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.build.notFound", buildId));
    }

    /**
     * Operators and the workspace's admins give up a running build: its process releases what was bought and refunds
     * the order (the build's status URL shows when it is done).
     */
    @PostMapping("/api/cloud-apps/{name}/environments/{env}/builds/{buildId}/give-up")
    ResponseEntity<Map<String, String>> giveUp(Authentication auth, @PathVariable String name,
                                               @PathVariable String env, @PathVariable long buildId) {
        String statusUrl = apps.giveUp(CurrentUser.from(auth), name, env, buildId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", statusUrl)
            .body(Map.of("statusUrl", statusUrl));
    }
}
