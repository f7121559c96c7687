package io.miniflow.app;

import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * What other features may read of apps and their business environments: an environment by its codes, within one
 * workspace (an app of another workspace is not found). Tenant apps start from the environment's online version.
 */
@Component
public class AppEnvironments {

    private final AppRepository apps;

    AppEnvironments(AppRepository apps) {
        this.apps = apps;
    }

    public boolean appExists(String workspace, String appCode) {
        return apps.findApp(appCode).filter(a -> a.workspace().equals(workspace)).isPresent();
    }

    public Optional<AppEnvironment> environment(String workspace, String appCode, String envCode) {
        return apps.findApp(appCode).filter(a -> a.workspace().equals(workspace))
            .flatMap(a -> apps.findEnvironment(a.id(), envCode));
    }
}
