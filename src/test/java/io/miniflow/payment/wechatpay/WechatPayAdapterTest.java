package io.miniflow.payment.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.payment.PaymentPort;
import io.miniflow.payment.PaymentReceived;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Miniflow's WeChat Pay adapter and notification endpoint against the emulator, configured only by the sandbox
 * profile (the merchant's keys are read from the emulator over HTTP at first use).
 */
@MiniflowIntegrationTest
@RecordApplicationEvents
class WechatPayAdapterTest {

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
    @Autowired
    MessageSource messages;

    private static PaymentPort.OrderRequest order(IdempotencyKey key, long fen) {
        return new PaymentPort.OrderRequest(key, "环境 standard 一个月", fen, null);
    }

    private int processed(String outTradeNo) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_payment_notification WHERE out_trade_no = ?").param(outTradeNo)
            .query(Integer.class).single();
    }

    @Test
    void aRetriedOrderCreationFindsTheFirstOrder() throws Exception {
        IdempotencyKey key = IdempotencyKey.of("env-" + UUID.randomUUID(), "payForPlan");
        PaymentPort.NativeOrder first = payments.createNativeOrder(order(key, 19900));
        PaymentPort.NativeOrder retried = payments.createNativeOrder(order(key, 19900));
        assertThat(retried).isEqualTo(first);
        assertThat(first.outTradeNo()).isEqualTo(key.outTradeNo());
        assertThat(payments.queryOrder(first.outTradeNo()).tradeState()).isEqualTo("NOTPAY");

        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + first.outTradeNo() + "/pay")).andExpect(status().isOk());
        PaymentPort.NativeOrder afterPayment = payments.createNativeOrder(order(key, 19900));
        assertThat(afterPayment.alreadyPaid()).isTrue();
    }

    @Test
    void aPaymentReachesMiniflowOnceEvenWhenTheNotificationIsReplayed() throws Exception {
        IdempotencyKey key = IdempotencyKey.of("env-" + UUID.randomUUID(), "payForPlan");
        String no = payments.createNativeOrder(order(key, 500)).outTradeNo();
        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isOk());

        // Delivered by the emulator over HTTP to the notify-url of the sandbox profile.
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(no) == 1);
        PaymentPort.OrderState state = payments.queryOrder(no);
        assertThat(state.tradeState()).isEqualTo("SUCCESS");

        // The same notification again, byte for byte: acknowledged, nothing changes.
        mvc.perform(notification(no, false)).andExpect(status().isNoContent());
        assertThat(processed(no)).isEqualTo(1);
        assertThat(events.stream(PaymentReceived.class)).noneMatch(e -> e.outTradeNo().equals(no));
    }

    @Test
    void aVerifiedNotificationPublishesPaymentReceivedAndAForgedOneChangesNothing() throws Exception {
        String no = payments.createNativeOrder(order(IdempotencyKey.of("env-" + UUID.randomUUID(), "pay"), 800))
            .outTradeNo();
        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isOk());
        await().atMost(Duration.ofSeconds(10)).until(() -> processed(no) == 1);
        jdbc.sql("DELETE FROM mf_payment_notification WHERE out_trade_no = ?").param(no).update();

        mvc.perform(notification(no, true)).andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("FAIL"));
        assertThat(processed(no)).isZero();
        assertThat(events.stream(PaymentReceived.class)).isEmpty();

        mvc.perform(notification(no, false)).andExpect(status().isNoContent());
        assertThat(events.stream(PaymentReceived.class))
            .containsExactly(new PaymentReceived(no, payments.queryOrder(no).transactionId(), "SUCCESS", 800));
        assertThat(processed(no)).isEqualTo(1);
    }

    @Test
    void closingAnUnpaidOrderAndPlatformRefusalsAreTranslated() throws Exception {
        String no = payments.createNativeOrder(order(IdempotencyKey.of("env-" + UUID.randomUUID(), "pay"), 100))
            .outTradeNo();
        payments.closeOrder(no);
        assertThat(payments.queryOrder(no).tradeState()).isEqualTo("CLOSED");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> payments.queryOrder("nosuchorder123"))
            .isInstanceOfSatisfying(PlatformException.class, e -> {
                assertThat(e.platformCode()).isEqualTo("ORDER_NOT_EXIST");
                assertThat(e.retryable()).isFalse();
                // The payment bundle is registered: people read the message, not the key.
                assertThat(messages.getMessage(e.messageKey(), e.args(), Locale.ENGLISH))
                    .isEqualTo("The payment order does not exist.");
                assertThat(messages.getMessage(e.messageKey(), e.args(), Locale.SIMPLIFIED_CHINESE))
                    .isEqualTo("支付订单不存在。");
            });
    }

    /** The notification the emulator sent for the order, optionally with an altered body. */
    private MockHttpServletRequestBuilder notification(String outTradeNo, boolean tamper) throws Exception {
        String sent = mvc.perform(get("/sandbox/admin/wechatpay/orders/" + outTradeNo + "/notifications"))
            .andReturn().getResponse().getContentAsString();
        JsonNode n = json.readTree(sent).get(0);
        String body = n.get("body").asText();
        if (tamper) {
            body = body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCESS ");
        }
        MockHttpServletRequestBuilder request = post("/payments/wechatpay/notify")
            .contentType(MediaType.APPLICATION_JSON).content(body);
        n.get("headers").fields().forEachRemaining(h -> request.header(h.getKey(), h.getValue().asText()));
        return request;
    }
}
