package io.miniflow.payment;

import io.miniflow.shared.IdempotencyKey;

/**
 * What environment build needs from a payment platform (WeChat Pay Native today): an order whose code the customer
 * scans, its state, closing it, and refunding it when the build gives up. Owned by the domain; the wechatpay-java adapter implements it. The order number is
 * derived from the idempotency key, so a retried creation finds the first order. Failures are thrown as
 * {@link io.miniflow.shared.PlatformException}. Payments themselves arrive as {@link PaymentReceived} events, refunds
 * that reached the payer as {@link RefundReceived}.
 */
public interface PaymentPort {

    NativeOrder createNativeOrder(OrderRequest request);

    OrderState queryOrder(String outTradeNo);

    /** Closes an unpaid order (a closed one stays closed). */
    void closeOrder(String outTradeNo);

    /**
     * Applies for a refund of {@code amountFen} of the paid order whose total is {@code totalFen}. The refund number is
     * the idempotency key: the same call again answers the same refund. The answer is usually PROCESSING; SUCCESS
     * arrives as {@link RefundReceived}.
     */
    RefundState refund(String outTradeNo, String outRefundNo, long amountFen, long totalFen, String reason);

    RefundState queryRefund(String outRefundNo);

    /** {@code status}: the platform's refund state (PROCESSING, SUCCESS, CLOSED, ABNORMAL). */
    record RefundState(String outTradeNo, String outRefundNo, String refundId, String status, long amountRefund) {
    }

    /**
     * {@code amountFen}: the amount in fen (CNY cents). {@code outTradeNo}: the order's number, derived by the caller
     * so that it is the same for every retry (by default from the idempotency key).
     */
    record OrderRequest(IdempotencyKey key, String description, long amountFen, String attach, String outTradeNo) {

        public OrderRequest(IdempotencyKey key, String description, long amountFen, String attach) {
            this(key, description, amountFen, attach, key.outTradeNo());
        }
    }

    /** {@code codeUrl} is null when the order turned out to be paid already (a retry after payment). */
    record NativeOrder(String outTradeNo, String codeUrl, boolean alreadyPaid) {
    }

    /** {@code tradeState}: the platform's state (NOTPAY, SUCCESS, CLOSED, REFUND, ...). */
    record OrderState(String outTradeNo, String tradeState, String transactionId, long amountTotal) {
    }
}
