package io.miniflow.sandbox.wechatpay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * The page a payer would reach by scanning the Native code: shows the order and a QR-like picture of its code_url
 * (a drawing of the URL's hash, not a scannable code), and a button that pays it. Self-contained HTML, so it also
 * works under the sandbox-only profile where the console is absent.
 */
@Controller
@RequestMapping(WechatPayApiController.PREFIX + "/pay")
class WechatPayPage {

    private final SandboxMerchants merchants;
    private final SandboxOrders orders;
    private final SandboxNotifier notifier;

    WechatPayPage(SandboxMerchants merchants, SandboxOrders orders, SandboxNotifier notifier) {
        this.merchants = merchants;
        this.orders = orders;
        this.notifier = notifier;
    }

    @GetMapping("/{outTradeNo}")
    ResponseEntity<String> page(@PathVariable String outTradeNo, @RequestParam(required = false) String error) {
        Optional<SandboxOrders.Order> found = orders.find(merchants.merchant().mchid(), outTradeNo);
        if (found.isEmpty()) {
            return html(HttpStatus.NOT_FOUND, "<p>订单不存在 / No such order: " + HtmlUtils.htmlEscape(outTradeNo) + "</p>");
        }
        SandboxOrders.Order o = found.get();
        StringBuilder body = new StringBuilder();
        body.append("<h1>微信支付 · WeChat Pay sandbox</h1>");
        body.append("<p>").append(HtmlUtils.htmlEscape(o.description())).append("</p>");
        body.append("<p><strong>¥ ").append(String.format("%d.%02d", o.amountTotal() / 100, o.amountTotal() % 100))
            .append("</strong> · ").append(HtmlUtils.htmlEscape(o.outTradeNo())).append("</p>");
        body.append(picture(o.codeUrl()));
        body.append("<p><code>").append(HtmlUtils.htmlEscape(o.codeUrl())).append("</code></p>");
        body.append("<p>状态 / State: <strong id=\"trade-state\">").append(o.tradeState()).append("</strong></p>");
        if (error != null) {
            body.append("<p style=\"color:#c00\">").append(HtmlUtils.htmlEscape(error)).append("</p>");
        }
        if ("NOTPAY".equals(o.tradeState())) {
            body.append("<form method=\"post\"><button type=\"submit\">确认支付 / Pay</button></form>");
        }
        return html(HttpStatus.OK, body.toString());
    }

    @PostMapping("/{outTradeNo}")
    ResponseEntity<String> pay(@PathVariable String outTradeNo) {
        String target = WechatPayApiController.PREFIX + "/pay/" + outTradeNo;
        try {
            SandboxPayments.pay(merchants, orders, notifier, outTradeNo);
        } catch (WechatPayError e) {
            target += "?error=" + java.net.URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8);
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create(target)).build();
    }

    /** 21×21 squares from the code_url's SHA-256, framed like a QR code's finder patterns. */
    private static String picture(String codeUrl) {
        byte[] bits;
        try {
            bits = MessageDigest.getInstance("SHA-256").digest(codeUrl.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        StringBuilder svg = new StringBuilder(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"210\" height=\"210\" viewBox=\"0 0 21 21\">");
        svg.append("<rect width=\"21\" height=\"21\" fill=\"#fff\"/>");
        for (int y = 0; y < 21; y++) {
            for (int x = 0; x < 21; x++) {
                boolean finder = (x < 7 && y < 7) || (x > 13 && y < 7) || (x < 7 && y > 13);
                boolean dark;
                if (finder) {
                    int fx = x > 13 ? x - 14 : x;
                    int fy = y > 13 ? y - 14 : y;
                    dark = fx == 0 || fx == 6 || fy == 0 || fy == 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4);
                } else {
                    int i = (y * 21 + x) % (bits.length * 8);
                    dark = ((bits[i / 8] >> (i % 8)) & 1) == 1;
                }
                if (dark) {
                    svg.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"1\" height=\"1\"/>");
                }
            }
        }
        return svg.append("</svg>").toString();
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        String page = "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>WeChat Pay sandbox</title>"
            + "</head><body style=\"font-family:sans-serif;max-width:30em;margin:2em auto\">" + body + "</body></html>";
        return ResponseEntity.status(status).contentType(new MediaType("text", "html", StandardCharsets.UTF_8)).body(page);
    }
}
