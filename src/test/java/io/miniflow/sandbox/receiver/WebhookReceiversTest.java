package io.miniflow.sandbox.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

/** The receivers' memory: bounded per name, safe under concurrent deliveries. */
class WebhookReceiversTest {

    private final WebhookReceivers receivers = new WebhookReceivers();

    private static WebhookReceivers.Request request(String body) {
        return new WebhookReceivers.Request("2026-01-01T00:00:00Z", "POST", "/sandbox/receiver/r", null, Map.of(),
            body, false);
    }

    @Test
    void keepsTheLatestTenThousandPerName() {
        for (int i = 0; i < WebhookReceivers.KEPT + 5; i++) {
            receivers.receive("r", request("#" + i));
        }
        receivers.receive("other", request("x"));

        WebhookReceivers.Snapshot all = receivers.deliveries("r", 0);
        assertThat(all.count()).isEqualTo(10_005);
        assertThat(all.deliveries()).hasSize(10_000);
        assertThat(all.deliveries().get(0).index()).isEqualTo(5);
        assertThat(all.deliveries().get(0).body()).isEqualTo("#5");
        assertThat(all.deliveries().get(9_999).body()).isEqualTo("#10004");
        assertThat(receivers.deliveries("r", 10_003).deliveries()).extracting(WebhookReceivers.Delivery::index)
            .containsExactly(10_003L, 10_004L);
        assertThat(receivers.deliveries("other", 0).count()).isEqualTo(1);
    }

    @Test
    void countsEveryConcurrentDeliveryAndFailsExactlyTheFaultsCount() throws Exception {
        receivers.setFault("r", 500, 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            int n = i;
            answers.add(pool.submit(() -> receivers.receive("r", request("#" + n))));
        }
        int failed = 0;
        for (Future<Integer> f : answers) {
            failed += f.get() == 500 ? 1 : 0;
        }
        pool.shutdown();

        assertThat(failed).isEqualTo(100);
        WebhookReceivers.Snapshot all = receivers.deliveries("r", 0);
        assertThat(all.count()).isEqualTo(2_000);
        assertThat(all.deliveries()).extracting(WebhookReceivers.Delivery::index).doesNotHaveDuplicates().hasSize(2_000);
        assertThat(all.deliveries().stream().filter(d -> d.status() == 500)).hasSize(100);
    }

    @Test
    void refusesNamesOutsideTheAlphabet() {
        assertThatThrownBy(() -> receivers.receive("a/b", request("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> receivers.deliveries("", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> receivers.setFault("x".repeat(65), 500, 0))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsABoundedNumberOfNamesAndClearingFreesOne() {
        for (int i = 0; i < WebhookReceivers.MAX_NAMES; i++) {
            receivers.receive("r" + i, request("x"));
        }
        assertThatThrownBy(() -> receivers.receive("one-too-many", request("x")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        receivers.receive("r0", request("again"));
        receivers.clear("r0");
        assertThat(receivers.deliveries("r0", 0).count()).isZero();
        assertThat(receivers.receive("one-too-many", request("x"))).isEqualTo(200);
    }
}
