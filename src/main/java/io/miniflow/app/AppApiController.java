package io.miniflow.app;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.app.AppRequests.NewApp;
import io.miniflow.app.AppRequests.NewDeployConfig;
import io.miniflow.app.AppRequests.NewEnvironment;
import io.miniflow.app.AppRequests.NewPackage;
import io.miniflow.app.AppRequests.NewStorageConfig;
import io.miniflow.app.AppRequests.PublishRequest;
import io.miniflow.app.AppService.AppView;
import io.miniflow.app.AppService.Configs;
import io.miniflow.app.AppService.EnvironmentView;
import io.miniflow.app.AppService.PublishStarted;
import io.miniflow.app.AppService.PublishStatus;
import io.miniflow.identity.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

/** JSON API of apps, environments, configs and publishes (docs/api.md). */
@RestController
class AppApiController {

    private final AppService apps;

    AppApiController(AppService apps) {
        this.apps = apps;
    }

    @GetMapping("/api/apps")
    List<App> list(Authentication auth, @RequestParam(required = false) String q) {
        return apps.visibleApps(CurrentUser.from(auth), q);
    }

    @PostMapping("/api/apps")
    @ResponseStatus(HttpStatus.CREATED)
    App create(Authentication auth, @Valid @RequestBody NewApp body) {
        return apps.createApp(CurrentUser.from(auth), body);
    }

    @GetMapping("/api/apps/{appCode}")
    AppView get(Authentication auth, @PathVariable String appCode) {
        return apps.app(CurrentUser.from(auth), appCode);
    }

    @PostMapping("/api/apps/{appCode}/environments")
    @ResponseStatus(HttpStatus.CREATED)
    AppEnvironment createEnvironment(Authentication auth, @PathVariable String appCode,
                                     @Valid @RequestBody NewEnvironment body) {
        return apps.createEnvironment(CurrentUser.from(auth), appCode, body);
    }

    @GetMapping("/api/apps/{appCode}/environments/{envCode}")
    EnvironmentView environment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode) {
        return apps.environment(CurrentUser.from(auth), appCode, envCode);
    }

    /** The path's parts are checked for their shape first, so nothing like ".." is ever looked up. */
    @DeleteMapping("/api/apps/{appCode}/environments/{envCode}/versions/{version}")
    ResponseEntity<Void> deleteVersion(Authentication auth,
                                       @PathVariable @Pattern(regexp = Codes.CODE_REGEX, message = "{app.appCode.path}")
                                       String appCode,
                                       @PathVariable @Pattern(regexp = Codes.CODE_REGEX, message = "{app.envCode.path}")
                                       String envCode,
                                       @PathVariable @Pattern(regexp = Codes.SEMVER_REGEX, message = "{app.version.path}")
                                       String version) {
        apps.deleteVersion(CurrentUser.from(auth), appCode, envCode, version);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/api/apps/{appCode}/environments/{envCode}/publishes")
    ResponseEntity<PublishStarted> publish(Authentication auth, @PathVariable String appCode,
                                           @PathVariable String envCode, @Valid @RequestBody PublishRequest body) {
        PublishStarted started = apps.publish(CurrentUser.from(auth), appCode, envCode, body);
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", started.statusUrl()).body(started);
    }

    @GetMapping("/api/apps/{appCode}/environments/{envCode}/publishes/{processInstanceId}")
    PublishStatus publishStatus(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                                @PathVariable String processInstanceId,
                                @RequestParam(defaultValue = "0") long afterLogId) {
        return apps.publishStatus(CurrentUser.from(auth), appCode, envCode, processInstanceId, afterLogId);
    }

    @GetMapping("/api/workspaces/{workspace}/app-configs")
    Configs configs(Authentication auth, @PathVariable String workspace) {
        return apps.configs(CurrentUser.from(auth), workspace);
    }

    @PostMapping("/api/deploy-configs")
    @ResponseStatus(HttpStatus.CREATED)
    DeployConfig createDeployConfig(Authentication auth, @Valid @RequestBody NewDeployConfig body) {
        return apps.createDeployConfig(CurrentUser.from(auth), body);
    }

    @PostMapping("/api/storage-configs")
    @ResponseStatus(HttpStatus.CREATED)
    StorageConfig createStorageConfig(Authentication auth, @Valid @RequestBody NewStorageConfig body) {
        return apps.createStorageConfig(CurrentUser.from(auth), body);
    }

    @PostMapping("/api/component-packages")
    @ResponseStatus(HttpStatus.CREATED)
    ComponentPackage createPackage(Authentication auth, @Valid @RequestBody NewPackage body) {
        return apps.createPackage(CurrentUser.from(auth), body);
    }
}
