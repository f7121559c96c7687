package io.miniflow.identity;

/**
 * Paths that outside platforms call (pushes, notifications), the pages merchants open from a tenant's authorization
 * link, the release packages servers fetch during a deploy, and the sandbox emulators: reached without a Miniflow
 * login; each verifies what it is given itself (a signature, an unguessable link or token, an auth_code redeemed at
 * WeChat).
 */
public final class PlatformEndpoints {

    public static final String[] PATHS = {
        "/wechat/callback", "/wechat/callback/**", "/payments/wechatpay/notify", "/sandbox/**",
        // A merchant's browser on a tenant's authorization link (io.miniflow.tenant.TenantAuthorizationPages).
        "/wechat/authorize/*", "/wechat/authorized/*",
        // Cloud servers fetching a deploy's package with the order's token (io.miniflow.cloudapp.deploy).
        "/cloud-packages/**"
    };

    /**
     * The platforms' pushes among them: machine to machine, signed, no page and no session. They come by the
     * thousand during a release and pass through a chain without the filters a browser needs.
     */
    public static final String[] PUSHES = {"/wechat/callback", "/wechat/callback/**", "/payments/wechatpay/notify"};

    /**
     * API paths reached without a login because each request is signed with a key of its own: the bundle upload with
     * an app's Upload Key (io.miniflow.app.AppUploads). In the /api chain, open and without a CSRF token (a browser on
     * another site cannot forge the signature).
     */
    public static final String[] SIGNED_API = {"/api/apps/*/versions/upload"};

    private PlatformEndpoints() {
    }
}
