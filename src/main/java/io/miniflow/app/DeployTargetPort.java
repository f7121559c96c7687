package io.miniflow.app;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Where app versions are deployed. Owned by app publishing; an adapter puts a version's artifacts in place and
 * switches the environment to it. Deploying the same version again must be harmless (engine retries do it).
 */
public interface DeployTargetPort {

    /** Deploys and switches; reports each step to {@code progress}; throws on failure (the engine retries). */
    DeployResult deploy(DeployRequest request, Consumer<String> progress);

    record DeployRequest(String workspace, String appCode, String envCode, String version, String engineVersion,
                         String deployPath, String deployDomain, String accessPath, Map<String, Object> manifest,
                         StorageTarget storage) {
    }

    /** The file storage for files that do not depend on a version (images and the like). */
    record StorageTarget(String name, String vendor, String bucket, String baseUrl) {
    }

    /** Where the deployed version answers, and where its version-independent files were written. */
    record DeployResult(String accessUrl, String storageUrl) {
    }
}
