package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Production must not run with the secrets every sandbox shares. */
class WechatProductionCheckTest {

    @Test
    void shouldNameEverySandboxDefaultStillInPlace() {
        assertThat(WechatProductionCheck.problems(WechatProductionCheck.SANDBOX_SECRET, "real-token",
            WechatProductionCheck.SANDBOX_AES_KEY)).containsExactly("component-app-secret", "encoding-aes-key");
        assertThat(WechatProductionCheck.problems("s3cr3t", "real-token", "x".repeat(43))).isEmpty();
    }
}
