package io.miniflow.payment;

/**
 * A verified, decrypted refund notification, published once per refund and state (replays are dropped). Whoever
 * waits for a refund to reach the payer (the environment build's give-up path) listens for it.
 */
public record RefundReceived(String outTradeNo, String outRefundNo, String refundId, String refundStatus,
                             long amountRefund) {
}
