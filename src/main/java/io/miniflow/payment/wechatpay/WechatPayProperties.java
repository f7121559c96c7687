package io.miniflow.payment.wechatpay;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code miniflow.wechatpay.*}: the merchant Miniflow acts as. {@code base-url} replaces the SDK's fixed host;
 * the private key comes inline ({@code private-key}) or from a file ({@code private-key-path}). When
 * {@code merchant-id} is empty and {@code sandbox-merchant-url} is set (sandbox profile), the merchant's ids and keys
 * are read from that URL at first use. {@code private-key}, {@code api-v3-key} and the contents of the
 * {@code private-key-path} file may be written encrypted ({@code mf1:...}); {@link WechatPayClientFactory} decrypts
 * them.
 */
@ConfigurationProperties(prefix = "miniflow.wechatpay")
record WechatPayProperties(String baseUrl, String merchantId, String appId, String merchantSerialNumber,
                                  String privateKey, String privateKeyPath, String apiV3Key, String platformPublicKey,
                                  String platformPublicKeyId, String notifyUrl, String sandboxMerchantUrl) {

    /** Without the private key and the APIv3 key: settings get logged when a start-up fails. */
    @Override
    public String toString() {
        return "WechatPayProperties[baseUrl=" + baseUrl + ", merchantId=" + merchantId + ", appId=" + appId
            + ", merchantSerialNumber=" + merchantSerialNumber + ", privateKey=" + (privateKey == null ? "none" : "set")
            + ", privateKeyPath=" + privateKeyPath + ", apiV3Key=" + (apiV3Key == null ? "none" : "set")
            + ", platformPublicKeyId=" + platformPublicKeyId + ", notifyUrl=" + notifyUrl + "]";
    }
}
