package io.miniflow.sandbox.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The platform's own clock: the verify ticket at start-up and every interval, audits that finish when their time
 * comes. Both read their times from the database, so a restart picks up where it left off. Also saves the call
 * statistics counted in memory.
 */
@Component
class WechatSandboxScheduler {

    private static final Logger log = LoggerFactory.getLogger(WechatSandboxScheduler.class);

    private final WechatSandboxPlatform platform;
    private final WechatSandboxSettings settings;
    private final WechatSandboxStore store;
    private final WechatSandboxStats stats;
    private final Clock clock;
    private volatile boolean started;

    WechatSandboxScheduler(WechatSandboxPlatform platform, WechatSandboxSettings settings, WechatSandboxStore store,
                           WechatSandboxStats stats, Clock clock) {
        this.platform = platform;
        this.settings = settings;
        this.store = store;
        this.stats = stats;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        platform.seedTemplateLibrary();
        platform.pushNewTicket();
        started = true;
        log.info("sandbox WeChat platform {} is up; pushes go to {}", settings.componentAppId(), settings.callbackUrl());
    }

    @Scheduled(fixedDelayString = "${miniflow.sandbox.wechat.clock-tick:PT1S}")
    void ticketTick() {
        Instant at = platform.currentTicketAt();
        if (started && (at == null || !at.plus(settings.ticketInterval()).isAfter(clock.instant()))) {
            platform.pushNewTicket();
        }
    }

    @Scheduled(fixedDelayString = "${miniflow.sandbox.wechat.audit-tick:PT0.2S}")
    void auditTick() {
        if (started) {
            try {
                platform.decideDueAudits();
            } catch (RuntimeException e) {
                log.warn("sandbox WeChat: deciding audits failed: {}", e.toString());
            }
        }
    }

    @Scheduled(fixedDelayString = "PT1S")
    void saveStats() {
        stats.save();
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1M")
    void forgetOldTokens() {
        store.deleteTokensExpiredBefore(clock.instant().minus(Duration.ofDays(1)));
    }
}
