package io.miniflow.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.miniflow.wechat.WechatApiException;
import io.miniflow.wechat.WechatTokenManager;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Whether Miniflow holds a WeChat component_access_token that has not expired: its expiry and age left, read from the
 * token store, never the token. When there is none, it asks {@link WechatTokenManager} for one, at most once per
 * {@code retryAfter} (the token endpoints have a daily quota). Without a token it is DOWN where the token is
 * required (the prod profile, whose readiness group includes it), UNKNOWN elsewhere.
 */
final class WechatComponentTokenHealth implements HealthIndicator {

    private final WechatTokenManager tokens;
    private final boolean required;
    private final Duration retryAfter;
    private final Clock clock;
    private Instant lastAttempt;
    private String lastError;

    WechatComponentTokenHealth(WechatTokenManager tokens, boolean required, Duration retryAfter, Clock clock) {
        this.tokens = tokens;
        this.required = required;
        this.retryAfter = retryAfter;
        this.clock = clock;
    }

    @Override
    public synchronized Health health() {
        try {
            return check();
        } catch (RuntimeException e) {
            // The token's row cannot be read (the database is away): not known, so not UP; never a failed request.
            return Health.status(required ? Status.DOWN : Status.UNKNOWN)
                .withDetail("reason", "cannot read the token: " + e.getClass().getSimpleName()).build();
        }
    }

    private Health check() {
        Instant now = clock.instant();
        Optional<Instant> expiry = unexpired(now);
        if (expiry.isEmpty() && (lastAttempt == null || !now.isBefore(lastAttempt.plus(retryAfter)))) {
            lastAttempt = now;
            try {
                tokens.componentToken();
                lastError = null;
            } catch (WechatApiException e) {
                lastError = e.errcode() + " " + e.messageKey();
            } catch (RuntimeException e) {
                lastError = e.getClass().getSimpleName();
            }
            expiry = unexpired(now);
        }
        if (expiry.isPresent()) {
            return Health.up().withDetail("expiresAt", expiry.get().toString())
                .withDetail("expiresInSeconds", Duration.between(now, expiry.get()).toSeconds()).build();
        }
        Health.Builder missing = Health.status(required ? Status.DOWN : Status.UNKNOWN)
            .withDetail("reason", "no unexpired component_access_token");
        if (lastError != null) {
            missing.withDetail("lastError", lastError);
        }
        return missing.build();
    }

    private Optional<Instant> unexpired(Instant now) {
        return tokens.componentTokenExpiry().filter(at -> at.isAfter(now));
    }
}
