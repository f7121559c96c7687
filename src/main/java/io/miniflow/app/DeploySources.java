package io.miniflow.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.miniflow.app.DeployTargetPort.StorageTarget;

/**
 * What a deploy takes from the environment besides its deploy config: the file storage for version-independent files
 * (the environment's storage config, or the platform's default when it has none, seed 000 §1.2.2) and the manifest
 * lines naming the app's component packages and their versions.
 */
@Component
class DeploySources {

    static final String PLATFORM_STORAGE = "platform-default";

    private final AppRepository repository;
    private final StorageTarget platformDefault;

    DeploySources(AppRepository repository,
                  @Value("${miniflow.storage.default-vendor:local}") String vendor,
                  @Value("${miniflow.storage.default-bucket:miniflow-public}") String bucket,
                  @Value("${miniflow.storage.default-base-url:https://files.miniflow.local}") String baseUrl) {
        this.repository = repository;
        this.platformDefault = new StorageTarget(PLATFORM_STORAGE, vendor, bucket, baseUrl);
    }

    StorageTarget storage(String workspace, AppEnvironment env) {
        return (env.storageConfig() == null ? java.util.Optional.<StorageConfig>empty()
            : repository.findStorageConfig(workspace, env.storageConfig()))
            .map(s -> new StorageTarget(s.name(), s.vendor(), s.bucket(), s.baseUrl()))
            .orElse(platformDefault);
    }

    /** The manifest entries of the app's packages: name, version and the repository they are read from. */
    List<Map<String, Object>> packages(String appCode) {
        return repository.findApp(appCode).map(app -> repository.packagesOf(app.id()).stream().map(p -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", p.name());
            entry.put("version", p.version());
            entry.put("repositoryUrl", p.repositoryUrl());
            return entry;
        }).toList()).orElse(List.of());
    }

    /** The manifest of a deploy: the given entries, the app's packages and the storage. */
    Map<String, Object> manifest(Map<String, Object> entries, String appCode, StorageTarget storage) {
        Map<String, Object> manifest = new LinkedHashMap<>(entries);
        manifest.put("packages", packages(appCode));
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("config", storage.name());
        files.put("vendor", storage.vendor());
        files.put("bucket", storage.bucket());
        files.put("baseUrl", storage.baseUrl());
        manifest.put("storage", files);
        return manifest;
    }
}
