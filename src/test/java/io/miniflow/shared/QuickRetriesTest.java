package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.miniflow.cloud.CloudErrors;
import io.miniflow.wechat.WechatApiException;
import io.miniflow.wechat.WechatErrors;

class QuickRetriesTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QuickRetries retries = new QuickRetries(
        new QuickRetries.Settings(4, Duration.ofMillis(1), Duration.ofMillis(2), 2, 0.5), registry);
    private final QuickRetries.Platform aliyun = retries.forPlatform("aliyun", CloudErrors::quickRetry,
        e -> e instanceof PlatformException p ? p.platformCode() : "other");

    @Test
    void aCallThatFailedInPassingIsTriedAgainUntilItSucceedsAndEachRetryIsCounted() {
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(aliyunError("ServiceUnavailable", 503),
            aliyunError("Throttling.User", 400)));
        AtomicInteger calls = new AtomicInteger();
        String answer = aliyun.call("RunInstances", () -> {
            calls.incrementAndGet();
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            return "i-1";
        });
        assertThat(answer).isEqualTo("i-1");
        assertThat(calls).hasValue(3);
        assertThat(retried("RunInstances", "ServiceUnavailable")).isEqualTo(1);
        assertThat(retried("RunInstances", "Throttling.User")).isEqualTo(1);
    }

    @Test
    void afterTheLastAttemptTheFailureGoesOnUnchanged() {
        AtomicInteger calls = new AtomicInteger();
        PlatformException busy = aliyunError("InternalError", 500);
        assertThatThrownBy(() -> aliyun.call("StartInstance", () -> {
            calls.incrementAndGet();
            throw busy;
        })).isSameAs(busy);
        assertThat(calls).hasValue(4);
        assertThat(retried("StartInstance", "InternalError")).isEqualTo(3);
    }

    @Test
    void aRefusalOrAStateThatTakesMinutesIsNotTriedAgainHere() {
        for (PlatformException e : List.of(aliyunError("InvalidInstanceType.NotSupported", 400),
                aliyunError("IncorrectInstanceStatus", 400), aliyunError("BackendServer.configuring", 400),
                CloudErrors.ALIYUN.unreachable(new SocketTimeoutException("read timed out")))) {
            AtomicInteger calls = new AtomicInteger();
            assertThatThrownBy(() -> aliyun.call("X", () -> {
                calls.incrementAndGet();
                throw e;
            })).isSameAs(e);
            assertThat(calls).as("calls failing with %s", e.platformCode()).hasValue(1);
        }
        assertThat(registry.find(QuickRetries.RETRIES).counters()).isEmpty();
    }

    @Test
    void wechatBusyAnd5xxAreTransientFrequencyLimitsSlowDownTokensAndRefusalsAreLeftAlone() {
        assertThat(WechatErrors.quickRetry(WechatErrors.of("wxa/commit", -1, "system error")))
            .isEqualTo(QuickRetries.Kind.TRANSIENT);
        assertThat(WechatErrors.quickRetry(new WechatApiException("wxa/commit",
            WechatApiException.HTTP_STATUS, "502", true, "wechat.error.http")))
            .isEqualTo(QuickRetries.Kind.TRANSIENT);
        assertThat(WechatErrors.quickRetry(new WechatApiException("wxa/commit",
            WechatApiException.HTTP_STATUS, "404", true, "wechat.error.http")))
            .isEqualTo(QuickRetries.Kind.NONE);
        assertThat(WechatErrors.quickRetry(WechatErrors.of("wxa/commit", 45009, "quota")))
            .isEqualTo(QuickRetries.Kind.SLOW_DOWN);
        assertThat(WechatErrors.quickRetry(WechatErrors.of("wxa/commit", 45011, "minute quota")))
            .isEqualTo(QuickRetries.Kind.SLOW_DOWN);
        for (int code : new int[] {40001, 42001, 85013, 85009}) {
            assertThat(WechatErrors.quickRetry(WechatErrors.of("wxa/commit", code, "x"))).as("errcode %d", code)
                .isEqualTo(QuickRetries.Kind.NONE);
        }
        assertThat(WechatErrors.quickRetry(new WechatApiException("wxa/commit",
            WechatApiException.NETWORK, "timeout", true, "wechat.error.network")))
            .as("no answer: the call may have been done").isEqualTo(QuickRetries.Kind.NONE);
    }

    private double retried(String api, String code) {
        var counter = registry.find(QuickRetries.RETRIES).tag("api", api).tag("code", code).counter();
        return counter == null ? 0 : counter.count();
    }

    private static PlatformException aliyunError(String code, int status) {
        return CloudErrors.ALIYUN.translate(code, status, "req-1", "detail");
    }
}
