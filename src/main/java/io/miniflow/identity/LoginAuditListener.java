package io.miniflow.identity;

import io.miniflow.shared.AuditLog;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.InteractiveAuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/**
 * Writes console logins and failed password checks to the audit log. API calls with HTTP Basic
 * authenticate on every request; only their failures are worth a line.
 */
@Component
class LoginAuditListener {

    private final AuditLog auditLog;

    LoginAuditListener(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @EventListener
    void onLogin(InteractiveAuthenticationSuccessEvent event) {
        String user = event.getAuthentication().getName();
        auditLog.record(user, "LOGIN", "user", user, null, null);
    }

    @EventListener
    void onFailure(AuthenticationFailureBadCredentialsEvent event) {
        String user = String.valueOf(event.getAuthentication().getName());
        auditLog.record(user, "LOGIN_FAILED", "user", user, null, null);
    }
}
