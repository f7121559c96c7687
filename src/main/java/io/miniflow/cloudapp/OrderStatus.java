package io.miniflow.cloudapp;

/** UNPAID → PAID → REFUNDED, or UNPAID → CLOSED when nobody paid in time. */
public enum OrderStatus {
    UNPAID, PAID, REFUNDED, CLOSED
}
