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
                         String deployPath, String deployDomain, String accessPath, Map<String, Object> manifest) {
    }

    /** Where the deployed version answers. */
    record DeployResult(String accessUrl) {
    }
}
