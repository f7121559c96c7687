package io.miniflow.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** Where the Aliyun check goes; an unreachable platform is UNKNOWN (not DOWN), asked once per cache period. */
class PlatformReachabilityTest {

    @Test
    void shouldReadTheAliyunEndpointAsTheSdkDoes() {
        assertThat(PlatformReachability.aliyunUrl("ecs.aliyuncs.com", null)).isEqualTo("https://ecs.aliyuncs.com/");
        assertThat(PlatformReachability.aliyunUrl("localhost:8080/sandbox/aliyun", null))
            .isEqualTo("http://localhost:8080/sandbox/aliyun/");
        assertThat(PlatformReachability.aliyunUrl("http://ecs.internal", null)).isEqualTo("http://ecs.internal/");
        assertThat(PlatformReachability.aliyunUrl("ecs.aliyuncs.com", "http")).isEqualTo("http://ecs.aliyuncs.com/");
        assertThat(PlatformReachability.aliyunUrl("", null)).isNull();
    }

    @Test
    void shouldBeDownWithoutAnAnswerAndCheckAgainOnlyAfterTheCachePeriod() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AtomicInteger asked = new AtomicInteger();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T08:00:00Z"));
        PlatformReachability wechat = new PlatformReachability(() -> {
            asked.incrementAndGet();
            return "http://127.0.0.1:" + closedPort + "/";
        }, Duration.ofSeconds(30), clock);

        assertThat(wechat.health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(wechat.health().getDetails()).containsKey("error").containsEntry("reachable", false);
        clock.now = clock.now.plusSeconds(29);
        wechat.health();
        assertThat(asked).hasValue(1);
        clock.now = clock.now.plusSeconds(1);
        wechat.health();
        assertThat(asked).hasValue(2);
    }

    @Test
    void shouldBeUnknownWithoutABaseUrl() {
        assertThat(new PlatformReachability(() -> null, Duration.ofSeconds(30), Clock.systemUTC()).health()
            .getStatus()).isEqualTo(Status.UNKNOWN);
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
