package io.miniflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeyTest {

    @Test
    void idempotencyKeysAreStableAndFitThePlatforms() {
        IdempotencyKey key = IdempotencyKey.of("env-42", "createInstances");
        assertThat(key.clientToken()).isEqualTo(IdempotencyKey.of("env-42", "createInstances").clientToken()).hasSize(36);
        assertThat(key.clientToken()).isNotEqualTo(IdempotencyKey.of("env-42", "createLoadBalancer").clientToken());
        assertThat(key.outTradeNo()).matches("[0-9a-f]{32}");
        assertThat(IdempotencyKey.of("env-4", "2createInstances").outTradeNo()).isNotEqualTo(
            IdempotencyKey.of("env-42", "createInstances").outTradeNo());
    }
}
