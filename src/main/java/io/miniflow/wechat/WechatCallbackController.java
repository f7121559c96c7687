package io.miniflow.wechat;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WeChat's push endpoints: the authorization-event URL ({@code /wechat/callback}) and the message URL
 * ({@code /wechat/callback/$APPID$}). Answers {@code success} once a push is handled (or was a replay), 403 when it
 * is not genuine, 500 when handling failed so the platform may deliver it again.
 */
@RestController
class WechatCallbackController {

    private final WechatCallbackService callbacks;

    WechatCallbackController(WechatCallbackService callbacks) {
        this.callbacks = callbacks;
    }

    @PostMapping(value = {"/wechat/callback", "/wechat/callback/{appId}"}, produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> receive(@PathVariable(required = false) String appId,
                                   @RequestParam(name = "msg_signature", required = false) String msgSignature,
                                   @RequestParam(required = false) String timestamp,
                                   @RequestParam(required = false) String nonce,
                                   @RequestBody(required = false) String body) {
        return switch (callbacks.receive(appId, msgSignature, timestamp, nonce, body)) {
            case ACCEPTED, REPLAYED -> ResponseEntity.ok("success");
            case REJECTED -> ResponseEntity.status(HttpStatus.FORBIDDEN).body("forbidden");
            case FAILED -> ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body("failed");
        };
    }
}
