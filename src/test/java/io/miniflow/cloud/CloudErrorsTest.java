package io.miniflow.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloudErrorsTest {

    @Test
    void throttlingBusyAndServerErrorsAreRetryable() {
        assertThat(CloudErrors.translate("aliyun", "Throttling", 400, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.translate("aliyun", "Throttling.User", 400, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.translate("aliyun", "BackendServer.configuring", 400, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.translate("aliyun", "SomethingNew", 503, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.translate("wechatpay", "SYSTEM_ERROR", 500, "r", "").retryable()).isTrue();
    }

    @Test
    void refusalsAreNotRetryableAndCarryTheirMessageKey() {
        CloudException mismatch = CloudErrors.translate("aliyun", "IdempotentParameterMismatch", 400, "r1", "x");
        assertThat(mismatch.retryable()).isFalse();
        assertThat(mismatch.messageKey()).isEqualTo("cloud.error.idempotentMismatch");
        assertThat(mismatch.requestId()).isEqualTo("r1");
        assertThat(CloudErrors.translate("aliyun", "IncorrectInstanceStatus", 403, "r", "").retryable()).isFalse();
        assertThat(CloudErrors.translate("wechatpay", "ORDERPAID", 400, "r", "").messageKey()).isEqualTo("cloud.error.orderPaid");
        assertThat(CloudErrors.translate("aliyun", "Unheard.Of", 400, "r", "").messageKey()).isEqualTo("cloud.error.refused");
    }

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
