package io.miniflow.tenant;

import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.stereotype.Component;

import io.miniflow.shared.PublicAddress;

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

    private final PublicAddress publicAddress;

    TenantLinks(PublicAddress publicAddress) {
        this.publicAddress = publicAddress;
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

    /** Miniflow's address as merchants' browsers reach it (PublicAddress). */
    String publicUrl() {
        return publicAddress.url();
    }
}
