package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The per-node share of the WeChat call rate: permits run out within a second and a node gets its share. */
class WechatRateLimitTest {

    @Test
    void aNodeGetsItsShareAndNoMoreWithinASecond() {
        WechatRateLimit limit = new WechatRateLimit(6, 2, Duration.ZERO);
        assertThat(limit.perSecond()).isEqualTo(3);
        assertThat(limit.acquire()).isTrue();
        assertThat(limit.acquire()).isTrue();
        assertThat(limit.acquire()).isTrue();
        assertThat(limit.acquire()).as("fourth call in the same second").isFalse();
    }

    @Test
    void aTinyLimitStillAllowsOneCallPerSecond() {
        assertThat(new WechatRateLimit(1, 5, Duration.ZERO).perSecond()).isEqualTo(1);
    }
}
