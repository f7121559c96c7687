package io.miniflow.shared;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Miniflow's address as others reach it ({@code miniflow.public-url}, MINIFLOW_PUBLIC_URL): merchants' browsers
 * following a tenant's authorization link, cloud servers fetching a release package. Empty means
 * {@code http://localhost:<port>}, right for the sandbox only (production refuses it, TenantProductionCheck).
 */
@Component
public class PublicAddress {

    public static final String PROPERTY = "miniflow.public-url";

    private final Environment environment;

    PublicAddress(Environment environment) {
        this.environment = environment;
    }

    /** Without a trailing slash; read at each use, as the port a test binds is known only once the server runs. */
    public String url() {
        String configured = environment.getProperty(PROPERTY, "");
        if (!configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return "http://localhost:" + environment.getProperty("local.server.port",
            environment.getProperty("server.port", "8080"));
    }
}
