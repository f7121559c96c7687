package io.miniflow.sandbox.wechatpay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Control API of the WeChat Pay emulator: the sandbox merchant's credentials (so an outside client can be
 * configured), orders, paying an order, the notifications sent and resending one, the retry schedule.
 */
@RestController
@RequestMapping("/sandbox/admin/wechatpay")
class WechatPayAdminController {

    private final SandboxMerchants merchants;
    private final SandboxOrders orders;
    private final SandboxNotifier notifier;
    private final SandboxRefunds refunds;

    WechatPayAdminController(SandboxMerchants merchants, SandboxOrders orders, SandboxNotifier notifier,
                             SandboxRefunds refunds) {
        this.merchants = merchants;
        this.orders = orders;
        this.notifier = notifier;
        this.refunds = refunds;
    }

    @GetMapping("/merchant")
    Map<String, String> merchant() {
        SandboxMerchant m = merchants.merchant();
        Map<String, String> view = new LinkedHashMap<>();
        view.put("mchid", m.mchid());
        view.put("appid", m.appid());
        view.put("merchantSerialNumber", m.serialNo());
        view.put("merchantPrivateKey", m.merchantPrivateKeyPem());
        view.put("platformPublicKey", m.platformPublicKeyPem());
        view.put("platformPublicKeyId", m.platformPublicKeyId());
        view.put("apiV3Key", m.apiV3Key());
        return view;
    }

    @GetMapping("/orders/{outTradeNo}")
    Map<String, Object> order(@PathVariable String outTradeNo) {
        SandboxOrders.Order order = orders.find(merchants.merchant().mchid(), outTradeNo)
            .orElseThrow(WechatPayError::notFound);
        Map<String, Object> view = new LinkedHashMap<>(SandboxOrders.transaction(order));
        view.put("description", order.description());
        view.put("notify_url", order.notifyUrl());
        view.put("code_url", order.codeUrl());
        return view;
    }

    /** Pays the order as the payer would by scanning its code; the notification goes out at once. */
    @PostMapping("/orders/{outTradeNo}/pay")
    Map<String, Object> pay(@PathVariable String outTradeNo) {
        return SandboxPayments.pay(merchants, orders, notifier, outTradeNo);
    }

    @GetMapping("/orders/{outTradeNo}/notifications")
    List<SandboxNotifier.Notification> notifications(@PathVariable String outTradeNo) {
        return notifier.forOrder(outTradeNo);
    }

    /** Sends the order's latest notification again, byte for byte (a replay). */
    @PostMapping("/orders/{outTradeNo}/notifications/resend")
    ResponseEntity<Void> resend(@PathVariable String outTradeNo) {
        List<SandboxNotifier.Notification> sent = notifier.forOrder(outTradeNo);
        if (sent.isEmpty()) {
            throw WechatPayError.notFound();
        }
        notifier.resend(sent.get(sent.size() - 1).eventId());
        return ResponseEntity.accepted().build();
    }

    /** The order's refunds as API v3 shows them. */
    @GetMapping("/orders/{outTradeNo}/refunds")
    List<Map<String, Object>> refunds(@PathVariable String outTradeNo) {
        return refunds.forOrder(merchants.merchant().mchid(), outTradeNo).stream().map(SandboxRefunds::view).toList();
    }

    /** {@code refundMillis}: how long a refund stays PROCESSING before SUCCESS and its notification (null: unchanged). */
    record Settings(List<Long> notifyRetryDelaysMillis, Long refundMillis) {
    }

    @GetMapping("/settings")
    Settings settings() {
        return new Settings(notifier.retryDelays(), refunds.refundMillis());
    }

    @PutMapping("/settings")
    Settings settings(@RequestBody Settings settings) {
        notifier.retryDelays(settings.notifyRetryDelaysMillis());
        refunds.refundMillis(settings.refundMillis());
        return settings();
    }

    @ExceptionHandler(WechatPayError.class)
    ResponseEntity<Map<String, String>> refused(WechatPayError e) {
        int status = "ORDERCLOSED".equals(e.code()) ? 409 : e.status();
        return ResponseEntity.status(status).body(Map.of("code", e.code(), "message", e.getMessage()));
    }
}
