package io.miniflow.release;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.miniflow.release.MiniProgramCodePort.PlatformQuotas;

/**
 * The platform's audit and speed-up quotas as the release pages show them (before a batch starts and on its page).
 * Read through any authorized mini program and kept for a short while: the batch page reloads itself every few
 * seconds while a batch runs, and the quota does not need a call each time. Empty when the platform cannot be asked.
 */
@Component
public class PlatformQuotaView {

    private static final Logger log = LoggerFactory.getLogger(PlatformQuotaView.class);
    private static final Duration KEPT = Duration.ofSeconds(20);

    private final MiniProgramCodePort platform;
    private final AuthorizedMiniPrograms authorized;
    private final Clock clock;
    private volatile Reading last;

    private record Reading(PlatformQuotas quotas, Instant at) {
    }

    PlatformQuotaView(MiniProgramCodePort platform, AuthorizedMiniPrograms authorized, Clock clock) {
        this.platform = platform;
        this.authorized = authorized;
        this.clock = clock;
    }

    /** The quotas now (at most a few seconds old), asked through {@code anyAppId} or any authorized mini program. */
    public Optional<PlatformQuotas> current(String anyAppId) {
        Instant now = Instant.now(clock);
        Reading reading = last;
        if (reading != null && reading.at().plus(KEPT).isAfter(now)) {
            return Optional.of(reading.quotas());
        }
        String through = anyAppId;
        if (through == null) {
            List<String> all = authorized.all();
            if (all.isEmpty()) {
                return Optional.empty();
            }
            through = all.get(0);
        }
        try {
            PlatformQuotas quotas = platform.quotas(through);
            last = new Reading(quotas, now);
            return Optional.of(quotas);
        } catch (RuntimeException e) {
            log.info("Quotas not readable now through {}: {}", through, e.getMessage());
            return Optional.empty();
        }
    }

    /** Forgets the reading, after an action that used the quota. */
    void forget() {
        last = null;
    }
}
