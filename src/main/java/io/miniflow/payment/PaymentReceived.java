package io.miniflow.payment;

/**
 * A verified, decrypted payment notification, published once per order and state (replays are dropped). Whoever
 * waits for a payment (the environment-build process) listens for it.
 */
public record PaymentReceived(String outTradeNo, String transactionId, String tradeState, long amountTotal) {
}
