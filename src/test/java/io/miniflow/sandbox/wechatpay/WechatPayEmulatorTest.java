package io.miniflow.sandbox.wechatpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.payment.wechatpay.BaseUrlInterceptor;

import okhttp3.OkHttpClient;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.MockMvc;

/** wechatpay-java, configured with the sandbox merchant's keys, against the WeChat Pay emulator. */
@MiniflowIntegrationTest
class WechatPayEmulatorTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;

    Map<String, String> merchant;
    RSAPublicKeyConfig config;
    NativePayService nativePay;

    @BeforeEach
    void client() throws Exception {
        String body = mvc.perform(get("/sandbox/admin/wechatpay/merchant")).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString();
        merchant = json.readValue(body, new TypeReference<>() { });
        config = new RSAPublicKeyConfig.Builder()
            .merchantId(merchant.get("mchid"))
            .privateKey(merchant.get("merchantPrivateKey"))
            .merchantSerialNumber(merchant.get("merchantSerialNumber"))
            .publicKey(merchant.get("platformPublicKey"))
            .publicKeyId(merchant.get("platformPublicKeyId"))
            .apiV3Key(merchant.get("apiV3Key"))
            .build();
        OkHttpClient ok = new OkHttpClient.Builder()
            .addInterceptor(new BaseUrlInterceptor("http://localhost:" + port + "/sandbox/wechatpay")).build();
        nativePay = new NativePayService.Builder()
            .httpClient(new DefaultHttpClientBuilder().config(config).okHttpClient(ok).build()).build();
    }

    private PrepayRequest order(String outTradeNo, int total) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(merchant.get("appid"));
        request.setMchid(merchant.get("mchid"));
        request.setDescription("环境购买 standard");
        request.setOutTradeNo(outTradeNo);
        // Nothing listens here: the notification is read back from the control API in this test.
        request.setNotifyUrl("http://localhost:" + port + "/sandbox/nobody-listens");
        Amount amount = new Amount();
        amount.setTotal(total);
        request.setAmount(amount);
        return request;
    }

    private Transaction query(String outTradeNo) {
        QueryOrderByOutTradeNoRequest query = new QueryOrderByOutTradeNoRequest();
        query.setMchid(merchant.get("mchid"));
        query.setOutTradeNo(outTradeNo);
        return nativePay.queryOrderByOutTradeNo(query);
    }

    private static String tradeNo() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    }

    @Test
    void prepayQueryAndPayAreSeenThroughTheSdk() throws Exception {
        String no = tradeNo();
        String codeUrl = nativePay.prepay(order(no, 9900)).getCodeUrl();
        assertThat(codeUrl).startsWith("weixin://wxpay/bizpayurl?pr=");
        assertThat(nativePay.prepay(order(no, 9900)).getCodeUrl()).as("same request, same code").isEqualTo(codeUrl);
        assertThat(query(no).getTradeState()).isEqualTo(Transaction.TradeStateEnum.NOTPAY);

        mvc.perform(get("/sandbox/wechatpay/pay/" + no)).andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.containsString("99.00")));
        mvc.perform(post("/sandbox/wechatpay/pay/" + no)).andExpect(status().isSeeOther());

        Transaction paid = query(no);
        assertThat(paid.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(paid.getTransactionId()).isNotBlank();
        assertThat(paid.getAmount().getTotal()).isEqualTo(9900);
    }

    @Test
    void theSameOrderNumberWithOtherContentIsRefused() {
        String no = tradeNo();
        nativePay.prepay(order(no, 100));
        assertThatThrownBy(() -> nativePay.prepay(order(no, 200)))
            .isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.getHttpStatusCode()).isEqualTo(400);
                assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST");
            });
    }

    @Test
    void unknownOrdersAreNotFound() {
        assertThatThrownBy(() -> query(tradeNo())).isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo("ORDER_NOT_EXIST"));
    }

    @Test
    void aClosedOrderCannotBePaid() throws Exception {
        String no = tradeNo();
        nativePay.prepay(order(no, 100));
        CloseOrderRequest close = new CloseOrderRequest();
        close.setMchid(merchant.get("mchid"));
        close.setOutTradeNo(no);
        nativePay.closeOrder(close);
        assertThat(query(no).getTradeState()).isEqualTo(Transaction.TradeStateEnum.CLOSED);
        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isConflict())
            .andExpect(jsonPath("$.code").value("ORDERCLOSED"));
    }

    @Test
    void aPaidOrderCannotBeClosed() throws Exception {
        String no = tradeNo();
        nativePay.prepay(order(no, 100));
        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isOk());
        CloseOrderRequest close = new CloseOrderRequest();
        close.setMchid(merchant.get("mchid"));
        close.setOutTradeNo(no);
        assertThatThrownBy(() -> nativePay.closeOrder(close)).isInstanceOfSatisfying(ServiceException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo("ORDERPAID"));
    }

    @Test
    void aRequestSignedWithAnotherKeyIsRefused() throws Exception {
        java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String otherKey = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder()
            .encodeToString(generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        RSAPublicKeyConfig forged = new RSAPublicKeyConfig.Builder()
            .merchantId(merchant.get("mchid")).privateKey(otherKey)
            .merchantSerialNumber(merchant.get("merchantSerialNumber"))
            .publicKey(merchant.get("platformPublicKey")).publicKeyId(merchant.get("platformPublicKeyId"))
            .apiV3Key(merchant.get("apiV3Key")).build();
        OkHttpClient ok = new OkHttpClient.Builder()
            .addInterceptor(new BaseUrlInterceptor("http://localhost:" + port + "/sandbox/wechatpay")).build();
        NativePayService forgedClient = new NativePayService.Builder()
            .httpClient(new DefaultHttpClientBuilder().config(forged).okHttpClient(ok).build()).build();
        assertThatThrownBy(() -> forgedClient.prepay(order(tradeNo(), 100)))
            .isInstanceOfSatisfying(ServiceException.class, e -> {
                assertThat(e.getHttpStatusCode()).isEqualTo(401);
                assertThat(e.getErrorCode()).isEqualTo("SIGN_ERROR");
            });
    }

    @Test
    void thePaymentNotificationIsParsedByNotificationParserAndATamperedOneIsRejected() throws Exception {
        String no = tradeNo();
        nativePay.prepay(order(no, 2500));
        mvc.perform(post("/sandbox/admin/wechatpay/orders/" + no + "/pay")).andExpect(status().isOk());

        String sent = mvc.perform(get("/sandbox/admin/wechatpay/orders/" + no + "/notifications"))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        JsonNode notification = json.readTree(sent).get(0);
        JsonNode headers = notification.get("headers");
        String body = notification.get("body").asText();

        NotificationParser parser = new NotificationParser(config);
        Transaction transaction = parser.parse(param(headers, body), Transaction.class);
        assertThat(transaction.getOutTradeNo()).isEqualTo(no);
        assertThat(transaction.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(transaction.getAmount().getTotal()).isEqualTo(2500);

        String tampered = body.replace("\"summary\":\"支付成功\"", "\"summary\":\"forged\"");
        assertThat(tampered).isNotEqualTo(body);
        assertThatThrownBy(() -> parser.parse(param(headers, tampered), Transaction.class))
            .isInstanceOf(ValidationException.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> json.readTree(mvc.perform(
                get("/sandbox/admin/wechatpay/orders/" + no + "/notifications")).andReturn().getResponse()
            .getContentAsString()).get(0).get("attempts").asInt() >= 1);
    }

    private static RequestParam param(JsonNode headers, String body) {
        return new RequestParam.Builder()
            .serialNumber(headers.get("Wechatpay-Serial").asText())
            .nonce(headers.get("Wechatpay-Nonce").asText())
            .signature(headers.get("Wechatpay-Signature").asText())
            .timestamp(headers.get("Wechatpay-Timestamp").asText())
            .signType(headers.get("Wechatpay-Signature-Type").asText())
            .body(body)
            .build();
    }
}
