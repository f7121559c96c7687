package io.miniflow.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** The audit poll's back-off: first after auditPollFirst, twice as long after each poll, at most auditPollMax. */
class ReleaseTimingsTest {

    @Test
    void pollsComeFurtherApartUpToTheMaximum() {
        ReleaseTimings timings = new ReleaseTimings(Duration.ofMinutes(30), Duration.ofHours(6), "PT1M", "PT1H",
            "R5/PT1M");

        assertThat(IntStream.range(0, 7).mapToObj(timings::auditPollDelay)).containsExactly(
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4), Duration.ofHours(6),
            Duration.ofHours(6), Duration.ofHours(6));
        assertThat(timings.auditPollDelay(10_000)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aFirstPollLongerThanTheMaximumIsCutToIt() {
        ReleaseTimings timings = new ReleaseTimings(Duration.ofHours(8), Duration.ofHours(6), "PT1M", "PT1H",
            "R5/PT1M");

        assertThat(timings.auditPollDelay(0)).isEqualTo(Duration.ofHours(6));
    }
}
