package io.miniflow.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.miniflow.shared.PlatformException;

import org.junit.jupiter.api.Test;

class CloudErrorsTest {

    @Test
    void throttlingBusyAndServerErrorsAreRetryable() {
        assertThat(CloudErrors.ALIYUN.translate("Throttling", 400, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.ALIYUN.translate("Throttling.User", 400, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.ALIYUN.translate("BackendServer.configuring", 400, "r", "").retryable()).isTrue();
        assertThat(CloudErrors.ALIYUN.translate("SomethingNew", 503, "r", "").retryable()).isTrue();
    }

    @Test
    void refusalsAreNotRetryableAndCarryTheirMessageKey() {
        PlatformException mismatch = CloudErrors.ALIYUN.translate("IdempotentParameterMismatch", 400, "r1", "x");
        assertThat(mismatch.retryable()).isFalse();
        assertThat(mismatch.messageKey()).isEqualTo("cloud.error.idempotentMismatch");
        assertThat(mismatch.requestId()).isEqualTo("r1");
        assertThat(CloudErrors.ALIYUN.translate("IncorrectInstanceStatus", 403, "r", "").retryable()).isFalse();
        assertThat(CloudErrors.ALIYUN.translate("Unheard.Of", 400, "r", "").messageKey()).isEqualTo("cloud.error.refused");
    }
}
