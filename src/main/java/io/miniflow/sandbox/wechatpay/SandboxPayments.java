package io.miniflow.sandbox.wechatpay;

import java.util.Map;

/** Paying an order, shared by the pay page and the control API: mark it paid, then notify (only the first time). */
final class SandboxPayments {

    private SandboxPayments() {
    }

    static Map<String, Object> pay(SandboxMerchants merchants, SandboxOrders orders, SandboxNotifier notifier,
                                   String outTradeNo) {
        SandboxMerchant merchant = merchants.merchant();
        SandboxOrders.Paid paid = orders.pay(merchant.mchid(), outTradeNo);
        if (paid.justNow()) {
            notifier.paid(merchant, paid.order());
        }
        return SandboxOrders.transaction(paid.order());
    }
}
