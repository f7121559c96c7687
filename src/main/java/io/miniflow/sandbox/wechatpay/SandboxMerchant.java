package io.miniflow.sandbox.wechatpay;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** The sandbox merchant: ids, the merchant key pair (the merchant signs requests) and the platform key pair. */
record SandboxMerchant(String mchid, String appid, String serialNo, String merchantPrivateKeyPem,
                       String merchantPublicKeyPem, String platformPrivateKeyPem, String platformPublicKeyPem,
                       String platformPublicKeyId, String apiV3Key) {

    PublicKey merchantPublicKey() {
        return publicKey(merchantPublicKeyPem);
    }

    PrivateKey platformPrivateKey() {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(platformPrivateKeyPem)));
        } catch (Exception e) {
            throw new IllegalStateException("stored platform key unreadable", e);
        }
    }

    private static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem)));
        } catch (Exception e) {
            throw new IllegalStateException("stored public key unreadable", e);
        }
    }

    static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }
}
