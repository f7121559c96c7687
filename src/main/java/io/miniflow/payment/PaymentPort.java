package io.miniflow.payment;

import io.miniflow.shared.IdempotencyKey;

/**
 * What environment build needs from a payment platform (WeChat Pay Native today): an order whose code the customer
 * scans, its state, closing it. Owned by the domain; the wechatpay-java adapter implements it. The order number is
 * derived from the idempotency key, so a retried creation finds the first order. Failures are thrown as
 * {@link io.miniflow.shared.PlatformException}. Payments themselves arrive as {@link PaymentReceived} events.
 */
public interface PaymentPort {

    NativeOrder createNativeOrder(OrderRequest request);

    OrderState queryOrder(String outTradeNo);

    /** Closes an unpaid order (a closed one stays closed). */
    void closeOrder(String outTradeNo);

    /** {@code amountFen}: the amount in fen (CNY cents). */
    record OrderRequest(IdempotencyKey key, String description, long amountFen, String attach) {
    }

    /** {@code codeUrl} is null when the order turned out to be paid already (a retry after payment). */
    record NativeOrder(String outTradeNo, String codeUrl, boolean alreadyPaid) {
    }

    /** {@code tradeState}: the platform's state (NOTPAY, SUCCESS, CLOSED, REFUND, ...). */
    record OrderState(String outTradeNo, String tradeState, String transactionId, long amountTotal) {
    }
}
