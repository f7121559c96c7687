package io.miniflow.wechat.crypto;

/** A push could not be opened: wrong key, tampered ciphertext, or sealed for another appid. */
public class WechatCryptoException extends RuntimeException {

    public WechatCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
