package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;

/** Each call becomes one sample tagged with its outcome and code; the call's own exception goes on unchanged. */
class PlatformCallsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PlatformCalls calls = new PlatformCalls(registry);

    @Test
    void shouldRecordSuccessWithoutCode() {
        assertThat(calls.record("aliyun", "DescribeInstances", () -> "answer", e -> "x")).isEqualTo("answer");

        Timer timer = registry.get(PlatformCalls.CALLS).tags("platform", "aliyun", "api", "DescribeInstances",
            "outcome", "success", "code", "none").timer();
        assertThat(timer.count()).isEqualTo(1);
    }

    @Test
    void shouldRecordErrorsWithTheCodeReadFromTheExceptionAndRethrowIt() {
        IllegalStateException refused = new IllegalStateException("85009");

        assertThatThrownBy(() -> calls.record("wechat", "wxa/submit_audit", () -> {
            throw refused;
        }, e -> e.getMessage())).isSameAs(refused);
        assertThatThrownBy(() -> calls.record("wechat", "wxa/submit_audit", () -> {
            throw new IllegalStateException();
        }, e -> null)).isInstanceOf(IllegalStateException.class);

        assertThat(registry.get(PlatformCalls.CALLS).tags("platform", "wechat", "outcome", "error", "code", "85009")
            .timer().count()).isEqualTo(1);
        assertThat(registry.get(PlatformCalls.CALLS).tags("outcome", "error", "code", "unknown").timer().count())
            .isEqualTo(1);
    }

    @Test
    void shouldRecordRateLimitWaitsByOutcome() {
        calls.rateLimitWait("wechat", Duration.ofMillis(300), true);
        calls.rateLimitWait("wechat", Duration.ofSeconds(10), false);

        assertThat(registry.get(PlatformCalls.RATE_LIMIT_WAITS).tags("platform", "wechat", "outcome", "acquired")
            .timer().totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(300);
        assertThat(registry.get(PlatformCalls.RATE_LIMIT_WAITS).tags("outcome", "refused").timer().count())
            .isEqualTo(1);
    }
}
