package io.miniflow.sandbox.wechatpay;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * WeChat Pay API v3, Native payment and domestic refunds, at /sandbox/wechatpay/v3/...: every request must carry the merchant's
 * signature over the platform path (without the /sandbox/wechatpay prefix), every response is signed with the
 * platform key so wechatpay-java's validator accepts it.
 */
@RestController
@RequestMapping(WechatPayApiController.PREFIX + "/v3")
class WechatPayApiController {

    static final String PREFIX = "/sandbox/wechatpay";

    private final SandboxMerchants merchants;
    private final SandboxOrders orders;
    private final SandboxRefunds refunds;
    private final WechatPaySignatures signatures;
    private final ObjectMapper json;

    WechatPayApiController(SandboxMerchants merchants, SandboxOrders orders, SandboxRefunds refunds,
                           WechatPaySignatures signatures, ObjectMapper json) {
        this.merchants = merchants;
        this.orders = orders;
        this.refunds = refunds;
        this.signatures = signatures;
        this.json = json;
    }

    @PostMapping("/pay/transactions/native")
    ResponseEntity<byte[]> prepay(HttpServletRequest http, @RequestBody(required = false) String body) {
        return answer(http, body, merchant -> {
            JsonNode request = parse(body);
            return signed(merchant, 200, Map.of("code_url", orders.prepay(merchant, request)));
        });
    }

    @GetMapping("/pay/transactions/out-trade-no/{outTradeNo}")
    ResponseEntity<byte[]> query(HttpServletRequest http, @PathVariable String outTradeNo,
                                 @RequestParam(required = false) String mchid) {
        return answer(http, "", merchant -> {
            if (mchid == null || mchid.isBlank()) {
                throw WechatPayError.param("mchid 必填");
            }
            SandboxOrders.Order order = orders.find(mchid, outTradeNo).orElseThrow(WechatPayError::notFound);
            return signed(merchant, 200, SandboxOrders.transaction(order));
        });
    }

    @PostMapping("/pay/transactions/out-trade-no/{outTradeNo}/close")
    ResponseEntity<byte[]> close(HttpServletRequest http, @PathVariable String outTradeNo,
                                 @RequestBody(required = false) String body) {
        return answer(http, body, merchant -> {
            String mchid = parse(body).path("mchid").asText("");
            if (mchid.isBlank()) {
                throw WechatPayError.param("mchid 必填");
            }
            orders.close(mchid, outTradeNo);
            return signed(merchant, 204, null);
        });
    }

    @PostMapping("/refund/domestic/refunds")
    ResponseEntity<byte[]> refund(HttpServletRequest http, @RequestBody(required = false) String body) {
        return answer(http, body, merchant -> signed(merchant, 200,
            SandboxRefunds.view(refunds.create(merchant, parse(body)))));
    }

    @GetMapping("/refund/domestic/refunds/{outRefundNo}")
    ResponseEntity<byte[]> queryRefund(HttpServletRequest http, @PathVariable String outRefundNo) {
        return answer(http, "", merchant -> signed(merchant, 200, SandboxRefunds.view(
            refunds.current(merchant.mchid(), outRefundNo)
                .orElseThrow(() -> new WechatPayError(404, "RESOURCE_NOT_EXISTS", "退款单不存在")))));
    }

    private interface Action {
        ResponseEntity<byte[]> run(SandboxMerchant merchant);
    }

    private ResponseEntity<byte[]> answer(HttpServletRequest http, String body, Action action) {
        SandboxMerchant merchant = merchants.merchant();
        try {
            String path = http.getRequestURI().substring(http.getContextPath().length() + PREFIX.length());
            String url = http.getQueryString() == null ? path : path + "?" + http.getQueryString();
            String refusal = signatures.refusal(merchant, http.getHeader("Authorization"), http.getMethod(), url,
                body == null ? "" : body);
            if (refusal != null) {
                throw new WechatPayError(401, "SIGN_ERROR", "签名错误：" + refusal);
            }
            return action.run(merchant);
        } catch (WechatPayError e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", e.code());
            error.put("message", e.getMessage());
            return signed(merchant, e.status(), error);
        }
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            if (node == null || !node.isObject()) {
                throw WechatPayError.param("请求体不是JSON对象");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw WechatPayError.param("请求体不是合法的JSON");
        }
    }

    private ResponseEntity<byte[]> signed(SandboxMerchant merchant, int status, Object body) {
        String text;
        try {
            text = body == null ? "" : json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpHeaders headers = signatures.signedHeaders(merchant, text);
        if (body != null) {
            headers.setContentType(new MediaType("application", "json", StandardCharsets.UTF_8));
        }
        return ResponseEntity.status(status).headers(headers).body(text.getBytes(StandardCharsets.UTF_8));
    }
}
