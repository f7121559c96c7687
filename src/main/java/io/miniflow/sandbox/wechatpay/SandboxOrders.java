package io.miniflow.sandbox.wechatpay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Native orders of the sandbox merchant: NOTPAY after prepay, SUCCESS once paid, CLOSED once closed, REFUND once a
 * refund has succeeded (SandboxRefunds). A repeated
 * prepay with the same content answers the same code_url; the same out_trade_no with other content is refused.
 */
@Component
class SandboxOrders {

    static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
        .withZone(ZoneOffset.ofHours(8));

    record Order(String mchid, String appid, String outTradeNo, String description, String notifyUrl, String attach,
                 long amountTotal, String currency, String requestDigest, String codeUrl, String tradeState,
                 String transactionId, String payerOpenid, Instant successTime, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;

    SandboxOrders(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    synchronized String prepay(SandboxMerchant merchant, JsonNode request) {
        String appid = text(request, "appid");
        String mchid = text(request, "mchid");
        String description = text(request, "description");
        String outTradeNo = text(request, "out_trade_no");
        String notifyUrl = text(request, "notify_url");
        JsonNode amount = request.path("amount");
        if (!amount.path("total").canConvertToLong() || amount.path("total").asLong() <= 0) {
            throw WechatPayError.param("amount.total 必须是正整数");
        }
        if (!mchid.equals(merchant.mchid())) {
            throw new WechatPayError(400, "MCH_NOT_EXISTS", "商户号不存在");
        }
        if (!appid.equals(merchant.appid())) {
            throw new WechatPayError(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        }
        if (outTradeNo.length() < 6 || outTradeNo.length() > 32 || !outTradeNo.matches("[0-9A-Za-z_*|-]+")) {
            throw WechatPayError.param("out_trade_no 格式错误");
        }
        if (!notifyUrl.startsWith("https://") && !notifyUrl.startsWith("http://")) {
            throw WechatPayError.param("notify_url 格式错误");
        }
        String digest = digest(request.toString());
        Optional<Order> existing = find(mchid, outTradeNo);
        if (existing.isPresent()) {
            Order order = existing.get();
            if (!order.requestDigest().equals(digest)) {
                throw new WechatPayError(400, "INVALID_REQUEST", "201 商户订单号重复");
            }
            if ("SUCCESS".equals(order.tradeState())) {
                throw new WechatPayError(400, "ORDERPAID", "该订单已支付");
            }
            if ("CLOSED".equals(order.tradeState())) {
                throw new WechatPayError(400, "ORDERCLOSED", "该订单已关闭");
            }
            return order.codeUrl();
        }
        String codeUrl = "weixin://wxpay/bizpayurl?pr=" + SandboxMerchants.alnum(7);
        jdbc.sql("""
                INSERT INTO sandbox_wechatpay_order (mchid, appid, out_trade_no, description, notify_url, attach,
                  amount_total, currency, request_digest, code_url, trade_state, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'NOTPAY', ?)""")
            .params(mchid, appid, outTradeNo, description, notifyUrl, request.path("attach").asText(null),
                amount.path("total").asLong(), amount.path("currency").asText("CNY"), digest, codeUrl,
                Timestamp.from(clock.instant()))
            .update();
        return codeUrl;
    }

    private static String text(JsonNode request, String field) {
        String value = request.path(field).asText("");
        if (value.isBlank()) {
            throw WechatPayError.param("输入源“/body/" + field + "”映射到字段“" + field + "”必填性规则校验失败，此字段为必填项");
        }
        return value;
    }

    synchronized void close(String mchid, String outTradeNo) {
        Order order = find(mchid, outTradeNo).orElseThrow(WechatPayError::notFound);
        if ("SUCCESS".equals(order.tradeState()) || "REFUND".equals(order.tradeState())) {
            throw new WechatPayError(400, "ORDERPAID", "订单已支付，不能关闭");
        }
        jdbc.sql("UPDATE sandbox_wechatpay_order SET trade_state = 'CLOSED' WHERE mchid = ? AND out_trade_no = ?")
            .params(mchid, outTradeNo).update();
    }

    /** Pays an unpaid order; paying a paid order changes nothing; a closed order cannot be paid. */
    /** The order after paying, and whether this call is the one that paid it. */
    record Paid(Order order, boolean justNow) {
    }

    synchronized Paid pay(String mchid, String outTradeNo) {
        Order order = find(mchid, outTradeNo).orElseThrow(WechatPayError::notFound);
        if ("CLOSED".equals(order.tradeState())) {
            throw new WechatPayError(400, "ORDERCLOSED", "订单已关闭，不能支付");
        }
        if ("NOTPAY".equals(order.tradeState())) {
            jdbc.sql("""
                    UPDATE sandbox_wechatpay_order SET trade_state = 'SUCCESS', transaction_id = ?, payer_openid = ?,
                      success_time = ? WHERE mchid = ? AND out_trade_no = ?""")
                .params("42000" + SandboxMerchants.digits(23), "o-sandbox-" + SandboxMerchants.alnum(18),
                    Timestamp.from(clock.instant()), mchid, outTradeNo)
                .update();
        }
        return new Paid(find(mchid, outTradeNo).orElseThrow(), "NOTPAY".equals(order.tradeState()));
    }

    Optional<Order> find(String mchid, String outTradeNo) {
        return jdbc.sql("SELECT * FROM sandbox_wechatpay_order WHERE mchid = ? AND out_trade_no = ?")
            .params(mchid, outTradeNo).query(this::row).optional();
    }

    /** The order as API v3 shows it (query responses and the decrypted notification resource). */
    static Map<String, Object> transaction(Order order) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("appid", order.appid());
        t.put("mchid", order.mchid());
        t.put("out_trade_no", order.outTradeNo());
        if (order.transactionId() != null) {
            t.put("transaction_id", order.transactionId());
        }
        t.put("trade_type", "NATIVE");
        t.put("trade_state", order.tradeState());
        t.put("trade_state_desc", switch (order.tradeState()) {
            case "SUCCESS" -> "支付成功";
            case "CLOSED" -> "订单已关闭";
            case "REFUND" -> "转入退款";
            default -> "订单未支付";
        });
        if (order.attach() != null) {
            t.put("attach", order.attach());
        }
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("total", order.amountTotal());
        amount.put("currency", order.currency());
        if ("SUCCESS".equals(order.tradeState())) {
            t.put("bank_type", "OTHERS");
            t.put("success_time", RFC3339.format(order.successTime()));
            t.put("payer", Map.of("openid", order.payerOpenid()));
            amount.put("payer_total", order.amountTotal());
            amount.put("payer_currency", order.currency());
        }
        t.put("amount", amount);
        return t;
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Order row(ResultSet rs, int n) throws SQLException {
        Timestamp success = rs.getTimestamp("success_time");
        return new Order(rs.getString("mchid"), rs.getString("appid"), rs.getString("out_trade_no"),
            rs.getString("description"), rs.getString("notify_url"), rs.getString("attach"), rs.getLong("amount_total"),
            rs.getString("currency"), rs.getString("request_digest"), rs.getString("code_url"),
            rs.getString("trade_state"), rs.getString("transaction_id"), rs.getString("payer_openid"),
            success == null ? null : success.toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
