package io.miniflow.payment;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code miniflow.wechatpay.*}: the merchant Miniflow acts as. {@code base-url} replaces the SDK's fixed host;
 * the private key comes inline ({@code private-key}) or from a file ({@code private-key-path}). When
 * {@code merchant-id} is empty and {@code sandbox-merchant-url} is set (sandbox profile), the merchant's ids and keys
 * are read from that URL at first use.
 */
@ConfigurationProperties(prefix = "miniflow.wechatpay")
public record WechatPayProperties(String baseUrl, String merchantId, String appId, String merchantSerialNumber,
                                  String privateKey, String privateKeyPath, String apiV3Key, String platformPublicKey,
                                  String platformPublicKeyId, String notifyUrl, String sandboxMerchantUrl) {
}
