package io.miniflow.app;

import java.util.List;

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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.app.AppEditRequests.AppEngine;
import io.miniflow.app.AppEditRequests.AppName;
import io.miniflow.app.AppEditRequests.AppPackages;
import io.miniflow.app.AppEditRequests.EditComponent;
import io.miniflow.app.AppEditRequests.EditDeployConfig;
import io.miniflow.app.AppEditRequests.EditEnvironment;
import io.miniflow.app.AppEditRequests.EditPackage;
import io.miniflow.app.AppEditRequests.EditStorageConfig;
import io.miniflow.app.AppEditRequests.GroupRequest;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import jakarta.validation.Valid;

/** JSON API that changes and deletes apps, environments, configs, packages, components and groups (docs/api.md). */
@RestController
class AppChangesApiController {

    private final AppChanges changes;

    AppChangesApiController(AppChanges changes) {
        this.changes = changes;
    }

    // --- apps

    @PutMapping("/api/apps/{appCode}/name")
    App rename(Authentication auth, @PathVariable String appCode, @Valid @RequestBody AppName body) {
        return changes.rename(CurrentUser.from(auth), appCode, body);
    }

    @PutMapping("/api/apps/{appCode}/engine")
    App changeEngine(Authentication auth, @PathVariable String appCode, @Valid @RequestBody AppEngine body) {
        return changes.changeEngine(CurrentUser.from(auth), appCode, body);
    }

    @PutMapping("/api/apps/{appCode}/packages")
    List<ComponentPackage> changePackages(Authentication auth, @PathVariable String appCode,
                                          @Valid @RequestBody AppPackages body) {
        return changes.changePackages(CurrentUser.from(auth), appCode, body);
    }

    @DeleteMapping("/api/apps/{appCode}")
    ResponseEntity<Void> deleteApp(Authentication auth, @PathVariable String appCode) {
        changes.deleteApp(CurrentUser.from(auth), appCode);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/api/apps/{appCode}/environments/{envCode}")
    AppEnvironment updateEnvironment(Authentication auth, @PathVariable String appCode, @PathVariable String envCode,
                                     @Valid @RequestBody EditEnvironment body) {
        return changes.updateEnvironment(CurrentUser.from(auth), appCode, envCode, body);
    }

    @DeleteMapping("/api/apps/{appCode}/environments/{envCode}")
    ResponseEntity<Void> deleteEnvironment(Authentication auth, @PathVariable String appCode,
                                           @PathVariable String envCode) {
        changes.deleteEnvironment(CurrentUser.from(auth), appCode, envCode);
        return ResponseEntity.noContent().build();
    }

    // --- deploy and storage configs

    @GetMapping("/api/workspaces/{workspace}/deploy-configs")
    PageResult<DeployConfig> deployConfigs(Authentication auth, @PathVariable String workspace,
                                           @RequestParam(required = false) String q,
                                           @RequestParam(required = false) Integer page,
                                           @RequestParam(required = false) Integer size) {
        return changes.deployConfigs(CurrentUser.from(auth), workspace, q, PageRequest.of(page, size));
    }

    @PutMapping("/api/workspaces/{workspace}/deploy-configs/{name}")
    DeployConfig updateDeployConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                    @Valid @RequestBody EditDeployConfig body) {
        return changes.updateDeployConfig(CurrentUser.from(auth), workspace, name, body);
    }

    @DeleteMapping("/api/workspaces/{workspace}/deploy-configs/{name}")
    ResponseEntity<Void> deleteDeployConfig(Authentication auth, @PathVariable String workspace,
                                            @PathVariable String name) {
        changes.deleteDeployConfig(CurrentUser.from(auth), workspace, name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/api/workspaces/{workspace}/storage-configs")
    PageResult<StorageConfig> storageConfigs(Authentication auth, @PathVariable String workspace,
                                             @RequestParam(required = false) String q,
                                             @RequestParam(required = false) Integer page,
                                             @RequestParam(required = false) Integer size) {
        return changes.storageConfigs(CurrentUser.from(auth), workspace, q, PageRequest.of(page, size));
    }

    @PutMapping("/api/workspaces/{workspace}/storage-configs/{name}")
    StorageConfig updateStorageConfig(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                      @Valid @RequestBody EditStorageConfig body) {
        return changes.updateStorageConfig(CurrentUser.from(auth), workspace, name, body);
    }

    @DeleteMapping("/api/workspaces/{workspace}/storage-configs/{name}")
    ResponseEntity<Void> deleteStorageConfig(Authentication auth, @PathVariable String workspace,
                                             @PathVariable String name) {
        changes.deleteStorageConfig(CurrentUser.from(auth), workspace, name);
        return ResponseEntity.noContent().build();
    }

    // --- packages and components

    @GetMapping("/api/workspaces/{workspace}/component-packages")
    PageResult<ComponentPackage> packages(Authentication auth, @PathVariable String workspace,
                                          @RequestParam(required = false) String q,
                                          @RequestParam(required = false) Integer page,
                                          @RequestParam(required = false) Integer size) {
        return changes.packages(CurrentUser.from(auth), workspace, q, PageRequest.of(page, size));
    }

    @PutMapping("/api/workspaces/{workspace}/component-packages/{name}/{version}")
    ComponentPackage updatePackage(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                   @PathVariable String version, @Valid @RequestBody EditPackage body) {
        return changes.updatePackage(CurrentUser.from(auth), workspace, name, version, body);
    }

    @DeleteMapping("/api/workspaces/{workspace}/component-packages/{name}/{version}")
    ResponseEntity<Void> deletePackage(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                                       @PathVariable String version) {
        changes.deletePackage(CurrentUser.from(auth), workspace, name, version);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/api/workspaces/{workspace}/component-packages/{name}/{version}/components/{component}")
    ComponentPackage.Component updateComponent(Authentication auth, @PathVariable String workspace,
                                               @PathVariable String name, @PathVariable String version,
                                               @PathVariable String component,
                                               @Valid @RequestBody EditComponent body) {
        return changes.updateComponent(CurrentUser.from(auth), workspace, name, version, component, body);
    }

    // --- component groups

    @GetMapping("/api/workspaces/{workspace}/component-groups")
    PageResult<ComponentGroup> groups(Authentication auth, @PathVariable String workspace,
                                      @RequestParam(required = false) String q,
                                      @RequestParam(required = false) Integer page,
                                      @RequestParam(required = false) Integer size) {
        return changes.groups(CurrentUser.from(auth), workspace, q, PageRequest.of(page, size));
    }

    @PostMapping("/api/workspaces/{workspace}/component-groups")
    @ResponseStatus(HttpStatus.CREATED)
    ComponentGroup createGroup(Authentication auth, @PathVariable String workspace,
                               @Valid @RequestBody GroupRequest body) {
        return changes.createGroup(CurrentUser.from(auth), workspace, body);
    }

    @PutMapping("/api/workspaces/{workspace}/component-groups/{name}")
    ComponentGroup updateGroup(Authentication auth, @PathVariable String workspace, @PathVariable String name,
                               @Valid @RequestBody GroupRequest body) {
        return changes.updateGroup(CurrentUser.from(auth), workspace, name, body);
    }

    @DeleteMapping("/api/workspaces/{workspace}/component-groups/{name}")
    ResponseEntity<Void> deleteGroup(Authentication auth, @PathVariable String workspace, @PathVariable String name) {
        changes.deleteGroup(CurrentUser.from(auth), workspace, name);
        return ResponseEntity.noContent().build();
    }
}
