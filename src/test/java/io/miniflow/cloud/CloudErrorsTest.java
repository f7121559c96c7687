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

    @Test
    void stockOutIsABusinessOutcomeAndAnRdsInstanceStillCreatingIsWorthRetrying() {
        PlatformException noStock = CloudErrors.ALIYUN.translate(CloudErrors.NO_STOCK, 403, "r", "");
        assertThat(noStock.retryable()).isFalse();
        assertThat(noStock.platformCode()).isEqualTo("OperationDenied.NoStock");
        assertThat(noStock.messageKey()).isEqualTo("cloud.error.noStock");
        PlatformException creating = CloudErrors.ALIYUN.translate("IncorrectDBInstanceState", 403, "r", "");
        assertThat(creating.retryable()).isTrue();
        assertThat(creating.messageKey()).isEqualTo("cloud.error.incorrectDbInstanceState");
        assertThat(CloudErrors.ALIYUN.translate("DomainRecordDuplicate", 400, "r", "").retryable()).isFalse();
    }
}
