package io.miniflow.sandbox.wechat;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * The platform's own call frequency limit, off unless set ({"rate_limit_per_second": n} on
 * /sandbox/admin/wechat/settings): calls beyond n within one second of the emulator's clock are refused with 45011,
 * as WeChat refuses callers that go too fast. Counted in memory; the refusals show in the stats.
 */
@Component
class WechatSandboxFrequencyLimit {

    private final WechatSandboxSettings settings;
    private final Clock clock;
    private final AtomicLong refused = new AtomicLong();
    private long second = -1;
    private int calls;

    WechatSandboxFrequencyLimit(WechatSandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Counts a call; false when it is one too many for the current second. */
    synchronized boolean admit() {
        int limit = settings.rateLimitPerSecond();
        if (limit <= 0) {
            return true;
        }
        long now = clock.millis() / 1000;
        if (now != second) {
            second = now;
            calls = 0;
        }
        if (++calls <= limit) {
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    long refused() {
        return refused.get();
    }

    void resetRefused() {
        refused.set(0);
    }
}
