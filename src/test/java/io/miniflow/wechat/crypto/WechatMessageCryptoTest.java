package io.miniflow.wechat.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The official test vector of WeChat's third-party platform push docs (reference §1.8), both directions. */
class WechatMessageCryptoTest {

    static final String TOKEN = "AAAAA";
    static final String KEY = "A".repeat(43);
    static final String APPID = "wx134c8103faa5a59e";
    static final String PUSH_ENCRYPT = "D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg==";
    static final String REPLY_ENCRYPT = "hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7";

    final WechatMessageCrypto crypto = new WechatMessageCrypto(TOKEN, KEY, APPID);

    @Test
    void shouldComputeTheDocumentedSignatures() {
        assertThat(crypto.msgSignature("1715943329", "1590219412", PUSH_ENCRYPT))
            .isEqualTo("6c12a4205838198b8fa631b3220723bb07f1015c");
        assertThat(WechatMessageCrypto.signature(TOKEN, "1715943329", "1590219412"))
            .isEqualTo("cc0c594499c1634947d5b502f158ee518947db27");
        assertThat(crypto.verify("6c12a4205838198b8fa631b3220723bb07f1015c", "1715943329", "1590219412", PUSH_ENCRYPT))
            .isTrue();
    }

    @Test
    void shouldDecryptTheDocumentedPushAndReEncryptItByteForByte() {
        WechatMessageCrypto.Opened opened = crypto.decrypt(PUSH_ENCRYPT);
        assertThat(opened.appId()).isEqualTo(APPID);
        assertThat(opened.message().getBytes(StandardCharsets.UTF_8)).hasSize(292);
        assertThat(opened.message()).contains("debug_demo").contains("\n");

        String again = crypto.encrypt("1205899eaf019bbd".getBytes(StandardCharsets.US_ASCII), opened.message());
        assertThat(again).isEqualTo(PUSH_ENCRYPT);
    }

    @Test
    void shouldEncryptTheDocumentedReply() {
        String encrypt = crypto.encrypt("999951349e8ee746".getBytes(StandardCharsets.US_ASCII),
            "<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>");
        assertThat(encrypt).isEqualTo(REPLY_ENCRYPT);
        assertThat(crypto.msgSignature("1713424427", "415670741", encrypt))
            .isEqualTo("03e0812039325c2712ef5f0f980fd14c70d6e307");
        assertThat(crypto.decryptFor(encrypt)).isEqualTo("<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>");
    }

    @Test
    void shouldPadAFullBlockWith32BytesOf32() {
        // 16 + 4 + 12 + 18 = 50 → 14 bytes of pad; 16 + 4 + 26 + 18 = 64 → a whole extra block of 0x20
        String msg = "x".repeat(26);
        String encrypt = crypto.encrypt(msg);
        assertThat(java.util.Base64.getDecoder().decode(encrypt)).hasSize(96);
        assertThat(crypto.decryptFor(encrypt)).isEqualTo(msg);
    }

    @Test
    void shouldRejectTamperedSignatureAndForeignAppid() {
        assertThat(crypto.verify("6c12a4205838198b8fa631b3220723bb07f1015d", "1715943329", "1590219412", PUSH_ENCRYPT))
            .isFalse();
        assertThat(crypto.verify("6c12a4205838198b8fa631b3220723bb07f1015c", "1715943330", "1590219412", PUSH_ENCRYPT))
            .isFalse();
        WechatMessageCrypto other = new WechatMessageCrypto(TOKEN, KEY, "wx0000000000sandbox");
        assertThatThrownBy(() -> other.decryptFor(PUSH_ENCRYPT)).isInstanceOf(WechatCryptoException.class);
    }

    @Test
    void shouldOpenWithThePreviousKeyDuringRotation() {
        String newKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
        WechatMessageCrypto current = new WechatMessageCrypto(TOKEN, newKey, APPID);
        assertThat(WechatMessageCrypto.decryptWithAny(List.of(current, crypto), PUSH_ENCRYPT)).contains("debug_demo");
        assertThatThrownBy(() -> WechatMessageCrypto.decryptWithAny(List.of(current), PUSH_ENCRYPT))
            .isInstanceOf(WechatCryptoException.class);
    }

    @Test
    void shouldReadTheEncryptElementOfEitherEnvelope() {
        assertThat(WechatMessageCrypto.encryptOf(crypto.envelope("AppId", APPID, "abc+/=="))).isEqualTo("abc+/==");
        assertThat(WechatMessageCrypto.encryptOf("<xml><ToUserName>gh</ToUserName><Encrypt>xyz</Encrypt></xml>"))
            .isEqualTo("xyz");
    }
}
