package io.miniflow.sandbox.wechatpay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.annotation.PreDestroy;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Refunds of paid orders (API v3 /v3/refund/domestic/refunds): PROCESSING when applied for, SUCCESS after the
 * configured time, when the order turns REFUND and a REFUND.SUCCESS notification goes to the refund's notify_url.
 * The out_refund_no is the idempotency key: the same request again answers the same refund; other content under the
 * same number is refused. Refunds of an order never exceed its total.
 */
@Component
class SandboxRefunds {

    record Refund(String mchid, String outRefundNo, String outTradeNo, String transactionId, String refundId,
                  String reason, String notifyUrl, long amountRefund, long amountTotal, String currency,
                  String requestDigest, String status, Instant successTime, Instant createdAt) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final SandboxOrders orders;
    private final SandboxNotifier notifier;
    private final SandboxMerchants merchants;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sandbox-wechatpay-refund");
        t.setDaemon(true);
        return t;
    });
    private volatile long refundMillis;

    SandboxRefunds(JdbcClient jdbc, Clock clock, SandboxOrders orders, SandboxNotifier notifier,
                   SandboxMerchants merchants,
                   @Value("${miniflow.sandbox.wechatpay.refund-millis:1000}") long refundMillis) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.orders = orders;
        this.notifier = notifier;
        this.merchants = merchants;
        this.refundMillis = refundMillis;
    }

    long refundMillis() {
        return refundMillis;
    }

    void refundMillis(Long millis) {
        if (millis != null) {
            this.refundMillis = Math.max(0, millis);
        }
    }

    synchronized Refund create(SandboxMerchant merchant, JsonNode request) {
        String outRefundNo = request.path("out_refund_no").asText("");
        if (outRefundNo.isBlank()) {
            throw WechatPayError.param("输入源“/body/out_refund_no”映射到字段“out_refund_no”必填性规则校验失败，此字段为必填项");
        }
        if (outRefundNo.length() > 64 || !outRefundNo.matches("[0-9A-Za-z_|*@-]+")) {
            throw WechatPayError.param("out_refund_no 格式错误");
        }
        JsonNode amount = request.path("amount");
        if (!amount.path("refund").canConvertToLong() || amount.path("refund").asLong() <= 0
            || !amount.path("total").canConvertToLong() || amount.path("total").asLong() <= 0) {
            throw WechatPayError.param("amount.refund 和 amount.total 必须是正整数");
        }
        if (!"CNY".equals(amount.path("currency").asText(""))) {
            throw WechatPayError.param("amount.currency 必须为 CNY");
        }
        String digest = digest(request.toString());
        Optional<Refund> existing = find(merchant.mchid(), outRefundNo);
        if (existing.isPresent()) {
            if (!existing.get().requestDigest().equals(digest)) {
                throw new WechatPayError(400, "INVALID_REQUEST", "退款单号重复，请求参数与原退款申请不一致");
            }
            return existing.get();
        }
        SandboxOrders.Order order = order(merchant.mchid(), request);
        if (!"SUCCESS".equals(order.tradeState()) && !"REFUND".equals(order.tradeState())) {
            throw new WechatPayError(400, "INVALID_REQUEST", "订单未支付，不能退款");
        }
        long refund = amount.path("refund").asLong();
        if (amount.path("total").asLong() != order.amountTotal()) {
            throw new WechatPayError(400, "INVALID_REQUEST", "订单金额与原订单金额不一致");
        }
        long refunded = jdbc.sql("""
                SELECT COALESCE(SUM(amount_refund), 0) FROM sandbox_wechatpay_refund
                WHERE mchid = ? AND out_trade_no = ? AND status <> 'CLOSED'""")
            .params(merchant.mchid(), order.outTradeNo()).query(Long.class).single();
        if (refunded + refund > order.amountTotal()) {
            throw new WechatPayError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额");
        }
        String notifyUrl = request.path("notify_url").asText(null);
        if (notifyUrl != null && !notifyUrl.startsWith("https://") && !notifyUrl.startsWith("http://")) {
            throw WechatPayError.param("notify_url 格式错误");
        }
        String refundId = "50000" + SandboxMerchants.digits(24);
        jdbc.sql("""
                INSERT INTO sandbox_wechatpay_refund (mchid, out_refund_no, out_trade_no, transaction_id, refund_id,
                  reason, notify_url, amount_refund, amount_total, currency, request_digest, status, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, 'PROCESSING', ?)""")
            .params(merchant.mchid(), outRefundNo, order.outTradeNo(), order.transactionId(), refundId,
                request.path("reason").asText(null), notifyUrl, refund, order.amountTotal(), digest,
                Timestamp.from(clock.instant()))
            .update();
        scheduler.schedule(() -> succeed(merchant.mchid(), outRefundNo), refundMillis, TimeUnit.MILLISECONDS);
        return find(merchant.mchid(), outRefundNo).orElseThrow();
    }

    private SandboxOrders.Order order(String mchid, JsonNode request) {
        String outTradeNo = request.path("out_trade_no").asText("");
        String transactionId = request.path("transaction_id").asText("");
        if (!outTradeNo.isBlank()) {
            return orders.find(mchid, outTradeNo).orElseThrow(SandboxRefunds::orderMissing);
        }
        if (transactionId.isBlank()) {
            throw WechatPayError.param("transaction_id 和 out_trade_no 必须二选一");
        }
        String no = jdbc.sql("SELECT out_trade_no FROM sandbox_wechatpay_order WHERE mchid = ? AND transaction_id = ?")
            .params(mchid, transactionId).query(String.class).optional().orElseThrow(SandboxRefunds::orderMissing);
        return orders.find(mchid, no).orElseThrow(SandboxRefunds::orderMissing);
    }

    private static WechatPayError orderMissing() {
        return new WechatPayError(404, "RESOURCE_NOT_EXISTS", "订单不存在");
    }

    /** The refund reaches the payer: SUCCESS, the order turns REFUND, the notification goes out (once). */
    void succeed(String mchid, String outRefundNo) {
        Refund refund;
        synchronized (this) {
            int changed = jdbc.sql("""
                    UPDATE sandbox_wechatpay_refund SET status = 'SUCCESS', success_time = ?
                    WHERE mchid = ? AND out_refund_no = ? AND status = 'PROCESSING'""")
                .params(Timestamp.from(clock.instant()), mchid, outRefundNo).update();
            if (changed == 0) {
                return;
            }
            refund = find(mchid, outRefundNo).orElseThrow();
            jdbc.sql("UPDATE sandbox_wechatpay_order SET trade_state = 'REFUND' WHERE mchid = ? AND out_trade_no = ?")
                .params(mchid, refund.outTradeNo()).update();
        }
        if (refund.notifyUrl() != null) {
            notifier.refunded(merchants.merchant(), refund, notification(refund));
        }
    }

    /**
     * The refund as it is now: one whose time has come is settled here too, so a refund left PROCESSING by a restart
     * (the timer is in memory) still completes when it is next looked at.
     */
    Optional<Refund> current(String mchid, String outRefundNo) {
        Optional<Refund> refund = find(mchid, outRefundNo);
        if (refund.isPresent() && "PROCESSING".equals(refund.get().status())
            && !refund.get().createdAt().plusMillis(refundMillis).isAfter(clock.instant())) {
            succeed(mchid, outRefundNo);
            return find(mchid, outRefundNo);
        }
        return refund;
    }

    Optional<Refund> find(String mchid, String outRefundNo) {
        return jdbc.sql("SELECT * FROM sandbox_wechatpay_refund WHERE mchid = ? AND out_refund_no = ?")
            .params(mchid, outRefundNo).query(this::row).optional();
    }

    List<Refund> forOrder(String mchid, String outTradeNo) {
        return jdbc.sql("SELECT * FROM sandbox_wechatpay_refund WHERE mchid = ? AND out_trade_no = ? ORDER BY id")
            .params(mchid, outTradeNo).query(this::row).list();
    }

    /** The refund as API v3 answers it (create and query). */
    static Map<String, Object> view(Refund r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("refund_id", r.refundId());
        v.put("out_refund_no", r.outRefundNo());
        v.put("transaction_id", r.transactionId());
        v.put("out_trade_no", r.outTradeNo());
        v.put("channel", "ORIGINAL");
        v.put("user_received_account", "支付用户零钱");
        if (r.successTime() != null) {
            v.put("success_time", SandboxOrders.RFC3339.format(r.successTime()));
        }
        v.put("create_time", SandboxOrders.RFC3339.format(r.createdAt()));
        v.put("status", r.status());
        v.put("funds_account", "AVAILABLE");
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("total", r.amountTotal());
        amount.put("refund", r.amountRefund());
        amount.put("from", List.of());
        amount.put("payer_total", r.amountTotal());
        amount.put("payer_refund", r.amountRefund());
        amount.put("settlement_refund", r.amountRefund());
        amount.put("settlement_total", r.amountTotal());
        amount.put("discount_refund", 0);
        amount.put("currency", r.currency());
        amount.put("refund_fee", 0);
        v.put("amount", amount);
        v.put("promotion_detail", List.of());
        return v;
    }

    /** The decrypted resource of a REFUND.* notification. */
    static Map<String, Object> notification(Refund r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("mchid", r.mchid());
        v.put("out_trade_no", r.outTradeNo());
        v.put("transaction_id", r.transactionId());
        v.put("out_refund_no", r.outRefundNo());
        v.put("refund_id", r.refundId());
        v.put("refund_status", r.status());
        if (r.successTime() != null) {
            v.put("success_time", SandboxOrders.RFC3339.format(r.successTime()));
        }
        v.put("user_received_account", "支付用户零钱");
        v.put("amount", Map.of("total", r.amountTotal(), "refund", r.amountRefund(), "payer_total", r.amountTotal(),
            "payer_refund", r.amountRefund()));
        return v;
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Refund row(ResultSet rs, int n) throws SQLException {
        Timestamp success = rs.getTimestamp("success_time");
        return new Refund(rs.getString("mchid"), rs.getString("out_refund_no"), rs.getString("out_trade_no"),
            rs.getString("transaction_id"), rs.getString("refund_id"), rs.getString("reason"),
            rs.getString("notify_url"), rs.getLong("amount_refund"), rs.getLong("amount_total"),
            rs.getString("currency"), rs.getString("request_digest"), rs.getString("status"),
            success == null ? null : success.toInstant(), rs.getTimestamp("created_at").toInstant());
    }
}
