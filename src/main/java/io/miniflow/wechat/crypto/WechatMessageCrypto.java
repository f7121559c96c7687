package io.miniflow.wechat.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message crypto for the third-party platform (the scheme its docs call WXBizMsgCrypt): AES-256-CBC with the
 * IV taken from the key, PKCS#7 padding to 32 bytes, plaintext {@code random16 | len(4, big-endian) | msg | appid},
 * and {@code msg_signature = sha1(sorted(token, timestamp, nonce, encrypt))}. Used by both sides: the sandbox
 * emulator to seal pushes and Miniflow's callback to open them, so the two can never drift apart.
 *
 * <p>Immutable and thread-safe. One instance per (token, EncodingAESKey, appid).
 */
public final class WechatMessageCrypto {

    private static final int BLOCK = 32;
    private static final Pattern ENCRYPT_ELEMENT =
        Pattern.compile("<Encrypt>\\s*(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))\\s*</Encrypt>", Pattern.DOTALL);

    private final String token;
    private final byte[] aesKey;
    private final String appId;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param token          the platform's message token
     * @param encodingAesKey the 43-character EncodingAESKey
     * @param appId          the appid carried at the end of every plaintext (the component appid for platform pushes)
     */
    public WechatMessageCrypto(String token, String encodingAesKey, String appId) {
        this.token = Objects.requireNonNull(token, "token");
        this.aesKey = decodeKey(encodingAesKey);
        this.appId = Objects.requireNonNull(appId, "appId");
    }

    public static byte[] decodeKey(String encodingAesKey) {
        if (encodingAesKey == null || encodingAesKey.length() != 43) {
            throw new IllegalArgumentException("EncodingAESKey must be 43 characters");
        }
        byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
        if (key.length != 32) {
            throw new IllegalArgumentException("EncodingAESKey must decode to 32 bytes");
        }
        return key;
    }

    public String appId() {
        return appId;
    }

    /** sha1 of the sorted pieces, concatenated without separator, lowercase hex. */
    public static String signature(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (String p : sorted) {
                sha1.update(p.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String msgSignature(String timestamp, String nonce, String encrypt) {
        return signature(token, timestamp, nonce, encrypt);
    }

    /** Constant-time comparison of a received msg_signature. */
    public boolean verify(String msgSignature, String timestamp, String nonce, String encrypt) {
        if (msgSignature == null || timestamp == null || nonce == null || encrypt == null) {
            return false;
        }
        return MessageDigest.isEqual(msgSignature.getBytes(StandardCharsets.UTF_8),
            msgSignature(timestamp, nonce, encrypt).getBytes(StandardCharsets.UTF_8));
    }

    public String encrypt(String message) {
        byte[] randomBytes = new byte[16];
        random.nextBytes(randomBytes);
        return encrypt(randomBytes, message);
    }

    /** Encrypts with the given 16 random bytes (tests use the documented ones). */
    public String encrypt(byte[] random16, String message) {
        if (random16.length != 16) {
            throw new IllegalArgumentException("16 random bytes expected");
        }
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] id = appId.getBytes(StandardCharsets.UTF_8);
        int length = 16 + 4 + msg.length + id.length;
        int pad = BLOCK - (length % BLOCK);
        ByteBuffer plain = ByteBuffer.allocate(length + pad);
        plain.put(random16).putInt(msg.length).put(msg).put(id);
        for (int i = 0; i < pad; i++) {
            plain.put((byte) pad);
        }
        try {
            return Base64.getEncoder().encodeToString(cipher(Cipher.ENCRYPT_MODE).doFinal(plain.array()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The decrypted message and the appid it was sealed for. */
    public record Opened(String message, String appId) {
    }

    /** Decrypts; throws {@link WechatCryptoException} when the ciphertext is not well formed for this key. */
    public Opened decrypt(String encrypt) {
        byte[] plain;
        try {
            plain = cipher(Cipher.DECRYPT_MODE).doFinal(Base64.getDecoder().decode(encrypt));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new WechatCryptoException("cannot decrypt", e);
        }
        int pad = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK) {
            pad = 0;
        }
        int end = plain.length - pad;
        if (end < 20) {
            throw new WechatCryptoException("plaintext too short", null);
        }
        int msgLength = ByteBuffer.wrap(plain, 16, 4).getInt();
        if (msgLength < 0 || 20 + msgLength > end) {
            throw new WechatCryptoException("bad message length", null);
        }
        String message = new String(plain, 20, msgLength, StandardCharsets.UTF_8);
        String sealedFor = new String(plain, 20 + msgLength, end - 20 - msgLength, StandardCharsets.UTF_8);
        return new Opened(message, sealedFor);
    }

    /** Decrypts and insists that the message was sealed for this instance's appid. */
    public String decryptFor(String encrypt) {
        Opened opened = decrypt(encrypt);
        if (!appId.equals(opened.appId())) {
            throw new WechatCryptoException("message is for appid " + opened.appId(), null);
        }
        return opened.message();
    }

    /** The XML envelope a push carries: {@code <xml><AppId>..</AppId><Encrypt>..</Encrypt></xml>}. */
    public String envelope(String toOrAppIdElement, String toOrAppIdValue, String encrypt) {
        return "<xml><" + toOrAppIdElement + "><![CDATA[" + toOrAppIdValue + "]]></" + toOrAppIdElement
            + "><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>";
    }

    /** Reads only the Encrypt element of an envelope, tolerating either AppId or ToUserName beside it. */
    public static String encryptOf(String envelopeXml) {
        if (envelopeXml == null) {
            return null;
        }
        Matcher m = ENCRYPT_ELEMENT.matcher(envelopeXml);
        if (!m.find()) {
            return null;
        }
        return (m.group(1) != null ? m.group(1) : m.group(2)).trim();
    }

    /**
     * Tries each crypto in turn (current key first, then the previous one during a key rotation) and returns the
     * message of the first that opens it for its own appid. A wrong key yields garbage rather than an error with
     * unpadded CBC, so the appid check is what tells a good key from a bad one.
     */
    public static String decryptWithAny(List<WechatMessageCrypto> cryptos, String encrypt) {
        WechatCryptoException last = null;
        for (WechatMessageCrypto c : cryptos) {
            try {
                return c.decryptFor(encrypt);
            } catch (WechatCryptoException e) {
                last = e;
            }
        }
        throw last != null ? last : new WechatCryptoException("no key configured", null);
    }

    private Cipher cipher(int mode) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
        cipher.init(mode, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(aesKey, 0, 16));
        return cipher;
    }
}
