package io.miniflow.identity;

/**
 * Paths that outside platforms call (pushes, notifications), the pages merchants open from a tenant's authorization
 * link, and the sandbox emulators: reached without a Miniflow login; each verifies what it is given itself (a
 * signature, an unguessable link, an auth_code redeemed at WeChat).
 */
public final class PlatformEndpoints {

    public static final String[] PATHS = {
        "/wechat/callback", "/wechat/callback/**", "/payments/wechatpay/notify", "/sandbox/**",
        // A merchant's browser on a tenant's authorization link (io.miniflow.tenant.TenantAuthorizationPages).
        "/wechat/authorize/*", "/wechat/authorized/*"
    };

    private PlatformEndpoints() {
    }
}
