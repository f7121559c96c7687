package io.miniflow.payment.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WechatPayErrorsTest {

    @Test
    void systemErrorsAreRetryable() {
        assertThat(WechatPayErrors.WECHATPAY.translate("SYSTEM_ERROR", 500, "r", "").retryable()).isTrue();
    }

    @Test
    void refusalsCarryThePaymentMessageKey() {
        assertThat(WechatPayErrors.WECHATPAY.translate("ORDERPAID", 400, "r", "").messageKey())
            .isEqualTo("payment.error.orderPaid");
    }
}
