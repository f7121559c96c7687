package io.miniflow.payment;

import java.sql.Timestamp;
import java.time.Clock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Takes a WeChat Pay notification: verifies the platform signature and decrypts the transaction with wechatpay-java's
 * NotificationParser (which throws on anything forged or altered), records it once, and publishes
 * {@link PaymentReceived}. A replay (same notification id) or another notification for the same order and state is
 * acknowledged without any effect.
 */
@Service
public class PaymentNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentNotifications.class);

    /** What happened to a notification that verified. */
    public enum Outcome { PUBLISHED, ALREADY_PROCESSED }

    private final WechatPayClientFactory factory;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;
    private final Clock clock;

    public PaymentNotifications(WechatPayClientFactory factory, JdbcClient jdbc, ApplicationEventPublisher events,
                                ObjectMapper json, Clock clock) {
        this.factory = factory;
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** Throws wechatpay-java's ValidationException (or MalformedMessageException) when the notification is not genuine. */
    public Outcome receive(RequestParam request) {
        Transaction t = factory.clients().notifications().parse(request, Transaction.class);
        String eventId;
        try {
            // Read only after the signature over the whole body has been verified by parse().
            eventId = json.readTree(request.getBody()).path("id").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("verified notification body is not JSON", e);
        }
        String state = t.getTradeState() == null ? "UNKNOWN" : t.getTradeState().name();
        long amount = t.getAmount() == null || t.getAmount().getTotal() == null ? 0 : t.getAmount().getTotal();
        try {
            jdbc.sql("""
                    INSERT INTO mf_payment_notification (event_id, out_trade_no, transaction_id, trade_state, amount_total, received_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                .params(eventId, t.getOutTradeNo(), t.getTransactionId(), state, amount, Timestamp.from(clock.instant()))
                .update();
        } catch (DuplicateKeyException e) {
            LOG.info("WeChat Pay notification {} for {} ({}) already processed", eventId, t.getOutTradeNo(), state);
            return Outcome.ALREADY_PROCESSED;
        }
        events.publishEvent(new PaymentReceived(t.getOutTradeNo(), t.getTransactionId(), state, amount));
        return Outcome.PUBLISHED;
    }
}
