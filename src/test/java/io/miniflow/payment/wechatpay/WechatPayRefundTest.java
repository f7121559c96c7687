package io.miniflow.payment.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.payment.PaymentPort;
import io.miniflow.payment.RefundReceived;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The give-up path's refund: Miniflow's adapter on wechatpay-java's RefundService against the emulator, and the
 * REFUND.SUCCESS notification arriving at /payments/wechatpay/notify, signed and encrypted like payment notifications.
 */
@MiniflowIntegrationTest
@RecordApplicationEvents
class WechatPayRefundTest {

    @Autowired
    PaymentPort payments;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    ApplicationEvents events;

    @BeforeEach
    void quickRefunds() throws Exception {
        refundMillis(100);
    }

    @AfterEach
    void defaultRefunds() throws Exception {
        refundMillis(1000);
    }

    private void refundMillis(long millis) throws Exception {
        mvc.perform(put("/sandbox/admin/wechatpay/settings").contentType(MediaType.APPLICATION_JSON)
            .content("{\"refundMillis\":" + millis + "}")).andExpect(status().isOk());
    }

    private String paidOrder(long fen) throws Exception {
        IdempotencyKey key = IdempotencyKey.of("env-" + UUID.randomUUID(), "payForPlan");
        String no = payments.createNativeOrder(new PaymentPort.OrderRequest(key, "环境 standard 一个月", fen, null))
            .outTradeNo();
        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isOk());
        return no;
    }

    private int processedRefunds(String outRefundNo) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_refund_notification WHERE out_refund_no = ?").param(outRefundNo)
            .query(Integer.class).single();
    }

    @Test
    void aRetriedRefundRefundsOnceAndItsNotificationReachesMiniflowOnce() throws Exception {
        String no = paidOrder(19900);
        String refundNo = "RF" + no;
        PaymentPort.RefundState first = payments.refund(no, refundNo, 19900, 19900, "环境构建失败");
        assertThat(first.status()).isEqualTo("PROCESSING");
        assertThat(first.refundId()).isNotBlank();
        assertThat(payments.refund(no, refundNo, 19900, 19900, "环境构建失败").refundId()).isEqualTo(first.refundId());

        await().atMost(Duration.ofSeconds(10)).until(() -> processedRefunds(refundNo) == 1);
        PaymentPort.RefundState done = payments.queryRefund(refundNo);
        assertThat(done).isEqualTo(new PaymentPort.RefundState(no, refundNo, first.refundId(), "SUCCESS", 19900));
        assertThat(payments.queryOrder(no).tradeState()).isEqualTo("REFUND");
        String refunds = mvc.perform(get("/sandbox/admin/wechatpay/orders/" + no + "/refunds"))
            .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(refunds)).hasSize(1);

        // The notification again, byte for byte: acknowledged, nothing changes.
        mvc.perform(refundNotification(no, false)).andExpect(status().isNoContent());
        assertThat(processedRefunds(refundNo)).isEqualTo(1);
        assertThat(events.stream(RefundReceived.class)).isEmpty();

        // Recorded once: with the record gone, the same verified notification publishes RefundReceived.
        jdbc.sql("DELETE FROM mf_refund_notification WHERE out_refund_no = ?").param(refundNo).update();
        mvc.perform(refundNotification(no, true)).andExpect(status().isUnauthorized());
        assertThat(events.stream(RefundReceived.class)).isEmpty();
        mvc.perform(refundNotification(no, false)).andExpect(status().isNoContent());
        assertThat(events.stream(RefundReceived.class))
            .containsExactly(new RefundReceived(no, refundNo, first.refundId(), "SUCCESS", 19900));
    }

    @Test
    void aRefundWhoseTimerWasLostIsSettledWhenQueried() throws Exception {
        refundMillis(3_600_000);
        String no = paidOrder(300);
        assertThat(payments.refund(no, "RF" + no, 300, 300, "x").status()).isEqualTo("PROCESSING");
        assertThat(payments.queryRefund("RF" + no).status()).isEqualTo("PROCESSING");
        refundMillis(0);
        assertThat(payments.queryRefund("RF" + no).status()).isEqualTo("SUCCESS");
        await().atMost(Duration.ofSeconds(10)).until(() -> processedRefunds("RF" + no) == 1);
    }

    @Test
    void theSameRefundNumberForAnotherAmountIsRefused() throws Exception {
        String no = paidOrder(1000);
        payments.refund(no, "RF" + no, 400, 1000, "partial");
        assertThatThrownBy(() -> payments.refund(no, "RF" + no, 500, 1000, "partial"))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo("INVALID_REQUEST");
                assertThat(e.retryable()).isFalse();
            });
        assertThatThrownBy(() -> payments.refund(no, "RF2" + no, 700, 1000, "more than is left"))
            .isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.platformCode()).isEqualTo("INVALID_REQUEST"));
    }

    @Test
    void unknownOrdersAndRefundsAreNotFound() {
        assertThatThrownBy(() -> payments.refund("nosuchorder123", "RFnosuchorder123", 100, 100, "x"))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo("RESOURCE_NOT_EXISTS");
                assertThat(e.retryable()).isFalse();
                assertThat(e.messageKey()).isEqualTo("payment.error.orderNotFound");
            });
        assertThatThrownBy(() -> payments.queryRefund("RFnosuchrefund"))
            .isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.platformCode()).isEqualTo("RESOURCE_NOT_EXISTS"));
    }

    @Test
    void anUnpaidOrderIsClosedNotRefunded() throws Exception {
        String no = payments.createNativeOrder(new PaymentPort.OrderRequest(
            IdempotencyKey.of("env-" + UUID.randomUUID(), "pay"), "x", 100, null)).outTradeNo();
        assertThatThrownBy(() -> payments.refund(no, "RF" + no, 100, 100, "x"))
            .isInstanceOfSatisfying(PlatformException.class,
                e -> assertThat(e.platformCode()).isEqualTo("INVALID_REQUEST"));
        payments.closeOrder(no);
        payments.closeOrder(no);
        assertThat(payments.queryOrder(no).tradeState()).isEqualTo("CLOSED");
    }

    /** The REFUND.SUCCESS notification the emulator sent for the order, optionally altered. */
    private MockHttpServletRequestBuilder refundNotification(String outTradeNo, boolean tamper) throws Exception {
        String sent = mvc.perform(get("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/notifications"))
            .andReturn().getResponse().getContentAsString();
        JsonNode n = null;
        for (JsonNode candidate : json.readTree(sent)) {
            if (candidate.get("body").asText().contains("REFUND.SUCCESS")) {
                n = candidate;
            }
        }
        assertThat(n).as("a REFUND.SUCCESS notification was sent").isNotNull();
        String body = n.get("body").asText();
        if (tamper) {
            body = body.replace("退款成功", "退款成功了");
        }
        MockHttpServletRequestBuilder request = post("/payments/wechatpay/notify")
            .contentType(MediaType.APPLICATION_JSON).content(body);
        n.get("headers").fields().forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
        return request;
    }
}
