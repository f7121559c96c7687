package io.miniflow.payment;

import java.util.Map;

import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.RequestParam;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /payments/wechatpay/notify}: where WeChat Pay sends payment results. Answers 204 to a genuine
 * notification (new or replayed, so the platform stops resending) and 401 with FAIL to anything that does not verify.
 */
@RestController
class WechatPayNotifyController {

    private static final Logger LOG = LoggerFactory.getLogger(WechatPayNotifyController.class);

    private final PaymentNotifications notifications;

    WechatPayNotifyController(PaymentNotifications notifications) {
        this.notifications = notifications;
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
            notifications.receive(request);
            return ResponseEntity.noContent().build();
        } catch (ValidationException | MalformedMessageException e) {
            LOG.warn("WeChat Pay notification refused: {}", e.getMessage());
            return refuse("signature verification failed");
        }
    }

    private static ResponseEntity<Map<String, String>> refuse(String message) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("code", "FAIL", "message", message));
    }
}
