package io.miniflow.payment.wechatpay;

import java.util.function.Supplier;

import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;

import io.miniflow.payment.PaymentPort;
import io.miniflow.shared.PlatformCalls;
import io.miniflow.shared.PlatformException;

import org.springframework.stereotype.Component;

/**
 * {@link PaymentPort} on wechatpay-java's Native payment and refund services; SDK exceptions become PlatformException
 * once, here.
 */
@Component
class WechatPayAdapter implements PaymentPort {

    private final WechatPayClientFactory factory;
    private final PlatformCalls calls;

    WechatPayAdapter(WechatPayClientFactory factory, PlatformCalls calls) {
        this.factory = factory;
        this.calls = calls;
    }

    @Override
    public NativeOrder createNativeOrder(OrderRequest order) {
        WechatPayClientFactory.Clients clients = factory.clients();
        String outTradeNo = order.outTradeNo();
        PrepayRequest request = new PrepayRequest();
        request.setAppid(clients.appId());
        request.setMchid(clients.merchantId());
        request.setDescription(order.description());
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(clients.notifyUrl());
        request.setAttach(order.attach());
        Amount amount = new Amount();
        amount.setTotal(Math.toIntExact(order.amountFen()));
        amount.setCurrency("CNY");
        request.setAmount(amount);
        try {
            return new NativeOrder(outTradeNo, call("prepay", () -> clients.nativePay().prepay(request)).getCodeUrl(), false);
        } catch (PlatformException e) {
            // A retry after the customer paid: the order exists and is paid, which is what the first call wanted.
            if ("ORDERPAID".equals(e.platformCode())) {
                return new NativeOrder(outTradeNo, null, true);
            }
            throw e;
        }
    }

    @Override
    public OrderState queryOrder(String outTradeNo) {
        WechatPayClientFactory.Clients clients = factory.clients();
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(clients.merchantId());
        request.setOutTradeNo(outTradeNo);
        Transaction t = call("queryOrderByOutTradeNo", () -> clients.nativePay().queryOrderByOutTradeNo(request));
        return new OrderState(t.getOutTradeNo(), t.getTradeState() == null ? null : t.getTradeState().name(),
            t.getTransactionId(), amountTotal(t));
    }

    @Override
    public void closeOrder(String outTradeNo) {
        WechatPayClientFactory.Clients clients = factory.clients();
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(clients.merchantId());
        request.setOutTradeNo(outTradeNo);
        call("closeOrder", () -> {
            clients.nativePay().closeOrder(request);
            return null;
        });
    }

    @Override
    public RefundState refund(String outTradeNo, String outRefundNo, long amountFen, long totalFen, String reason) {
        WechatPayClientFactory.Clients clients = factory.clients();
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(outTradeNo);
        request.setOutRefundNo(outRefundNo);
        request.setReason(reason);
        request.setNotifyUrl(clients.notifyUrl());
        AmountReq amount = new AmountReq();
        amount.setRefund(amountFen);
        amount.setTotal(totalFen);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        return refundState(call("createRefund", () -> clients.refunds().create(request)));
    }

    @Override
    public RefundState queryRefund(String outRefundNo) {
        WechatPayClientFactory.Clients clients = factory.clients();
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setOutRefundNo(outRefundNo);
        return refundState(call("queryByOutRefundNo", () -> clients.refunds().queryByOutRefundNo(request)));
    }

    private static RefundState refundState(Refund r) {
        return new RefundState(r.getOutTradeNo(), r.getOutRefundNo(), r.getRefundId(),
            r.getStatus() == null ? null : r.getStatus().name(),
            r.getAmount() == null || r.getAmount().getRefund() == null ? 0 : r.getAmount().getRefund());
    }

    /** The total in fen; 0 when the platform left it out. */
    static long amountTotal(Transaction t) {
        return t.getAmount() == null || t.getAmount().getTotal() == null ? 0 : t.getAmount().getTotal();
    }

    /** Every call is timed as {@link PlatformCalls#CALLS} under the SDK method's name, with WeChat Pay's code. */
    private <T> T call(String api, Supplier<T> action) {
        return calls.record("wechatpay", api, () -> {
            try {
                return action.get();
            } catch (ServiceException e) {
                throw WechatPayErrors.WECHATPAY.translate(e.getErrorCode(), e.getHttpStatusCode(), null,
                    e.getErrorMessage());
            } catch (HttpException e) {
                throw WechatPayErrors.WECHATPAY.unreachable(e);
            } catch (ValidationException | MalformedMessageException e) {
                // An answer whose platform signature does not verify is not trusted, and retrying will not fix it.
                throw WechatPayErrors.WECHATPAY.translate("RESPONSE_NOT_VERIFIED", 400, null, e.getMessage());
            }
        }, e -> e instanceof PlatformException p ? p.platformCode() : e.getClass().getSimpleName());
    }
}
