package io.miniflow.identity;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may use the emulators' control API (/sandbox/admin/**): it hands out the sandbox platforms' secrets and keys
 * and pays orders, so platform admins, and requests from this machine (the README's curl commands, test scripts,
 * Miniflow reading the sandbox merchant's keys from itself). Behind a reverse proxy on the same machine every
 * request comes from the loopback address: set server.forward-headers-strategy there (docs/operations.md).
 */
public final class SandboxAdminAccess {

    public static final String[] PATHS = {"/sandbox/admin", "/sandbox/admin/**"};

    private static final IpAddressMatcher IPV4_LOOPBACK = new IpAddressMatcher("127.0.0.0/8");
    private static final IpAddressMatcher IPV6_LOOPBACK = new IpAddressMatcher("::1");

    /** The TCP peer is this machine (127.0.0.0/8 or ::1); X-Forwarded-For counts only where the server trusts it. */
    public static final RequestMatcher LOOPBACK = SandboxAdminAccess::fromLoopback;

    private SandboxAdminAccess() {
    }

    /** Platform admins from anywhere, anyone from the loopback address (the console chain's rule). */
    public static AuthorizationManager<RequestAuthorizationContext> platformAdminOrLoopback() {
        return AuthorizationManagers.anyOf(AuthorityAuthorizationManager.hasAuthority(Roles.CAMUNDA_ADMIN),
            (authentication, context) -> new AuthorizationDecision(fromLoopback(context.getRequest())));
    }

    static boolean fromLoopback(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        if (remote == null || remote.isBlank()) {
            return false;
        }
        try {
            return IPV4_LOOPBACK.matches(remote) || IPV6_LOOPBACK.matches(remote);
        } catch (IllegalArgumentException notAnAddress) {
            // IpAddressMatcher refuses host names rather than look them up; the servlet container gives addresses.
            return false;
        }
    }
}
