package io.miniflow.identity;

/**
 * Paths that outside platforms call (pushes, notifications) and the sandbox emulators: reached without a
 * Miniflow login; each verifies its own signature the way the real platform does.
 */
public final class PlatformEndpoints {

    public static final String[] PATHS = {
        "/wechat/callback", "/wechat/callback/**", "/payments/wechatpay/notify", "/sandbox/**"
    };

    private PlatformEndpoints() {
    }
}
