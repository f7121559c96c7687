package io.miniflow.payment.wechatpay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.refund.RefundService;

import io.miniflow.shared.crypto.SecretBox;

import okhttp3.OkHttpClient;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The one place that builds the WeChat Pay client (wechatpay-java) from {@code miniflow.wechatpay.*}: an
 * {@link RSAPublicKeyConfig} (platform public key + id, no certificate download), an OkHttpClient whose interceptor
 * sends every call to the configured base URL, the Native and refund services and the notification parser. Built at first use:
 * no WeChat Pay settings are needed until a payment is made, and in the sandbox the merchant is read from the
 * emulator's control API over HTTP (Miniflow never touches emulator classes). The private key and the APIv3 key may
 * be configured encrypted ({@code mf1:...}) and are decrypted here.
 */
@Component
class WechatPayClientFactory {

    /** Everything a call needs, built together from one set of settings. */
    record Clients(RSAPublicKeyConfig config, NativePayService nativePay, RefundService refunds,
                   NotificationParser notifications, String merchantId, String appId, String notifyUrl) {
    }

    private final Environment environment;
    private final ObjectMapper json;
    private final SecretBox secrets;
    private volatile Clients clients;

    WechatPayClientFactory(Environment environment, ObjectMapper json, SecretBox secrets) {
        this.environment = environment;
        this.json = json;
        this.secrets = secrets;
    }

    Clients clients() {
        Clients built = clients;
        if (built == null) {
            synchronized (this) {
                if (clients == null) {
                    clients = build(Binder.get(environment).bind("miniflow.wechatpay", WechatPayProperties.class)
                        .orElseThrow(() -> new IllegalStateException("miniflow.wechatpay.* is not configured")));
                }
                built = clients;
            }
        }
        return built;
    }

    private Clients build(WechatPayProperties p) {
        WechatPayProperties settings = blank(p.merchantId()) && !blank(p.sandboxMerchantUrl()) ? fromSandbox(p) : p;
        RSAPublicKeyConfig config = new RSAPublicKeyConfig.Builder()
            .merchantId(require(settings.merchantId(), "merchant-id"))
            .privateKey(privateKey(settings))
            .merchantSerialNumber(require(settings.merchantSerialNumber(), "merchant-serial-number"))
            .publicKey(require(settings.platformPublicKey(), "platform-public-key"))
            .publicKeyId(require(settings.platformPublicKeyId(), "platform-public-key-id"))
            .apiV3Key(secrets.decryptIfEncrypted(require(settings.apiV3Key(), "api-v3-key")))
            .build();
        OkHttpClient ok = new OkHttpClient.Builder()
            .addInterceptor(new BaseUrlInterceptor(require(settings.baseUrl(), "base-url")))
            .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10)).build();
        com.wechat.pay.java.core.http.HttpClient http = new DefaultHttpClientBuilder().config(config).okHttpClient(ok).build();
        NativePayService nativePay = new NativePayService.Builder().httpClient(http).build();
        RefundService refunds = new RefundService.Builder().httpClient(http).build();
        return new Clients(config, nativePay, refunds, new NotificationParser(config), settings.merchantId(),
            settings.appId(), require(settings.notifyUrl(), "notify-url"));
    }

    /** The sandbox merchant as GET /sandbox/admin/wechatpay/merchant reports it. */
    private WechatPayProperties fromSandbox(WechatPayProperties p) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(p.sandboxMerchantUrl())).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("sandbox merchant: HTTP " + response.statusCode());
            }
            JsonNode m = json.readTree(response.body());
            return new WechatPayProperties(p.baseUrl(), m.path("mchid").asText(), m.path("appid").asText(),
                m.path("merchantSerialNumber").asText(), m.path("merchantPrivateKey").asText(), null,
                m.path("apiV3Key").asText(), m.path("platformPublicKey").asText(),
                m.path("platformPublicKeyId").asText(), p.notifyUrl(), p.sandboxMerchantUrl());
        } catch (IOException e) {
            throw new IllegalStateException("sandbox merchant unreadable at " + p.sandboxMerchantUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Inline or from the file; either may hold the encrypted form of the PEM text. */
    private String privateKey(WechatPayProperties p) {
        if (!blank(p.privateKey())) {
            return secrets.decryptIfEncrypted(p.privateKey());
        }
        try {
            String text = Files.readString(Path.of(require(p.privateKeyPath(), "private-key or private-key-path")),
                StandardCharsets.UTF_8);
            // SecretTool's output ends with a newline; a PEM file is passed on exactly as it is.
            return SecretBox.isEncrypted(text.strip()) ? secrets.decrypt(text.strip()) : text;
        } catch (IOException e) {
            throw new IllegalStateException("miniflow.wechatpay.private-key-path unreadable", e);
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String require(String value, String name) {
        if (blank(value)) {
            throw new IllegalStateException("miniflow.wechatpay." + name + " is not set");
        }
        return value;
    }
}
