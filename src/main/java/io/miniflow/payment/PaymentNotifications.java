package io.miniflow.payment;

import java.sql.Timestamp;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Takes a payment or refund notification that its adapter has verified and decrypted (WeChat Pay's: payment.wechatpay),
 * records it once and publishes {@link PaymentReceived} or {@link RefundReceived}. A replay (same notification id) or
 * another notification for the same order (refund) and state is acknowledged without any effect.
 */
@Service
public class PaymentNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentNotifications.class);

    /** What happened to a notification that verified. */
    public enum Outcome { PUBLISHED, ALREADY_PROCESSED }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    public PaymentNotifications(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** {@code eventId}: the platform's notification id; {@code payment}: what it says about the order. */
    public Outcome receive(String eventId, PaymentReceived payment) {
        try {
            jdbc.sql("""
                    INSERT INTO mf_payment_notification (event_id, out_trade_no, transaction_id, trade_state, amount_total, received_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                .params(eventId, payment.outTradeNo(), payment.transactionId(), payment.tradeState(),
                    payment.amountTotal(), Timestamp.from(clock.instant()))
                .update();
        } catch (DuplicateKeyException e) {
            LOG.info("payment notification {} for {} ({}) already processed", eventId, payment.outTradeNo(),
                payment.tradeState());
            return Outcome.ALREADY_PROCESSED;
        }
        events.publishEvent(payment);
        return Outcome.PUBLISHED;
    }

    /** {@code eventId}: the platform's notification id; {@code refund}: what it says about the refund. */
    public Outcome receive(String eventId, RefundReceived refund) {
        try {
            jdbc.sql("""
                    INSERT INTO mf_refund_notification (event_id, out_trade_no, out_refund_no, refund_id, refund_status,
                      amount_refund, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)""")
                .params(eventId, refund.outTradeNo(), refund.outRefundNo(), refund.refundId(), refund.refundStatus(),
                    refund.amountRefund(), Timestamp.from(clock.instant()))
                .update();
        } catch (DuplicateKeyException e) {
            LOG.info("refund notification {} for {} ({}) already processed", eventId, refund.outRefundNo(),
                refund.refundStatus());
            return Outcome.ALREADY_PROCESSED;
        }
        events.publishEvent(refund);
        return Outcome.PUBLISHED;
    }
}
