package io.miniflow.tenant;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The authorization links handed to SaaS platforms. A link is Miniflow's own page
 * ({@code <public-url>/wechat/authorize/<businessId>}), not WeChat's: a pre_auth_code lives for minutes while a
 * merchant may take days, so the page asks WeChat for a fresh one each time it is opened. The business id is random
 * and unguessable: it is all a merchant's browser carries to say which tenant app it authorizes for.
 */
@Component
class TenantLinks {

    static final String AUTHORIZE_PATH = "/wechat/authorize/";
    static final String AUTHORIZED_PATH = "/wechat/authorized/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Environment environment;

    TenantLinks(Environment environment) {
        this.environment = environment;
    }

    String newBusinessId() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String authorizationUrl(String businessId) {
        return publicUrl() + AUTHORIZE_PATH + businessId;
    }

    /** Where WeChat sends the merchant back (redirect_uri). */
    String returnUrl(String businessId) {
        return publicUrl() + AUTHORIZED_PATH + businessId;
    }

    /**
     * Miniflow's address as merchants' browsers reach it ({@code miniflow.tenants.public-url}); read at each use, as
     * the port a test binds is known only once the server runs.
     */
    String publicUrl() {
        String configured = environment.getProperty("miniflow.tenants.public-url", "");
        if (!configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return "http://localhost:" + environment.getProperty("local.server.port",
            environment.getProperty("server.port", "8080"));
    }
}
