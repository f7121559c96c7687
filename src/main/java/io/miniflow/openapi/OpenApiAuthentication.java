package io.miniflow.openapi;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A signed request that passed every check: its principal is the key ({@link OpenApiClient}), no password. */
final class OpenApiAuthentication extends AbstractAuthenticationToken {

    /** Held only by signed requests; no person has it, so no console or /api rule can match it by accident. */
    static final String AUTHORITY = "openapi-client";

    private final OpenApiClient client;

    OpenApiAuthentication(OpenApiClient client) {
        super(List.of(new SimpleGrantedAuthority(AUTHORITY)));
        this.client = client;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return null;
    }

    @Override
    public OpenApiClient getPrincipal() {
        return client;
    }

    @Override
    public String getName() {
        return client.appId();
    }
}
