package io.miniflow.cloudapp;

import java.time.Instant;

/** The WeChat Pay order of a build; amounts in fen. */
public record CloudOrder(long id, long environmentId, long buildId, String outTradeNo, int amountFen, Plan plan,
                         int months, OrderStatus status, String codeUrl, String transactionId, String outRefundNo,
                         Instant createdAt, Instant paidAt, Instant closedAt, Instant refundedAt) {
}
