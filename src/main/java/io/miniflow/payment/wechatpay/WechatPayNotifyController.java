package io.miniflow.payment.wechatpay;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.RefundNotification;

import io.miniflow.payment.PaymentNotifications;
import io.miniflow.payment.PaymentReceived;
import io.miniflow.payment.RefundReceived;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /payments/wechatpay/notify}: where WeChat Pay sends payment and refund results. wechatpay-java's
 * NotificationParser verifies the platform signature and decrypts the transaction or refund (it throws on anything forged or
 * altered); {@link PaymentNotifications} then records it once. Answers 204 to a genuine notification (new or
 * replayed, so the platform stops resending) and 401 with FAIL to anything that does not verify.
 */
@RestController
class WechatPayNotifyController {

    private static final Logger LOG = LoggerFactory.getLogger(WechatPayNotifyController.class);

    private final WechatPayClientFactory factory;
    private final PaymentNotifications notifications;
    private final ObjectMapper json;

    WechatPayNotifyController(WechatPayClientFactory factory, PaymentNotifications notifications, ObjectMapper json) {
        this.factory = factory;
        this.notifications = notifications;
        this.json = json;
    }

    @PostMapping("/payments/wechatpay/notify")
    ResponseEntity<Map<String, String>> notify(
        @RequestHeader(name = "Wechatpay-Serial", required = false) String serial,
        @RequestHeader(name = "Wechatpay-Signature", required = false) String signature,
        @RequestHeader(name = "Wechatpay-Timestamp", required = false) String timestamp,
        @RequestHeader(name = "Wechatpay-Nonce", required = false) String nonce,
        @RequestHeader(name = "Wechatpay-Signature-Type", required = false) String signType,
        @RequestBody(required = false) String body) {
        if (serial == null || signature == null || timestamp == null || nonce == null || signType == null || body == null) {
            return refuse("missing WeChat Pay signature headers");
        }
        RequestParam request = new RequestParam.Builder().serialNumber(serial).signature(signature).timestamp(timestamp)
            .nonce(nonce).signType(signType).body(body).build();
        try {
            // The event type only picks the class to decrypt into; parse() verifies the whole body before anything is used.
            if (eventType(body).startsWith("REFUND.")) {
                RefundNotification r = factory.clients().notifications().parse(request, RefundNotification.class);
                notifications.receive(eventId(body), new RefundReceived(r.getOutTradeNo(), r.getOutRefundNo(),
                    r.getRefundId(), r.getRefundStatus() == null ? "UNKNOWN" : r.getRefundStatus().name(),
                    r.getAmount() == null || r.getAmount().getRefund() == null ? 0 : r.getAmount().getRefund()));
                return ResponseEntity.noContent().build();
            }
            Transaction t = factory.clients().notifications().parse(request, Transaction.class);
            notifications.receive(eventId(body), new PaymentReceived(t.getOutTradeNo(), t.getTransactionId(),
                t.getTradeState() == null ? "UNKNOWN" : t.getTradeState().name(), WechatPayAdapter.amountTotal(t)));
            return ResponseEntity.noContent().build();
        } catch (ValidationException | MalformedMessageException e) {
            LOG.warn("WeChat Pay notification refused: {}", e.getMessage());
            return refuse("signature verification failed");
        }
    }

    /** The unverified event type, empty if the body is not JSON (parse() then refuses it). */
    private String eventType(String body) {
        try {
            return json.readTree(body).path("event_type").asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    /** Read only after parse() has verified the signature over the whole body. */
    private String eventId(String verifiedBody) {
        try {
            return json.readTree(verifiedBody).path("id").asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("verified notification body is not JSON", e);
        }
    }

    private static ResponseEntity<Map<String, String>> refuse(String message) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("code", "FAIL", "message", message));
    }
}
