package io.miniflow.shared.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts short secrets (tokens, keys, passwords) for storage or configuration under a master key:
 * AES-256-GCM with a random 12-byte nonce per value, written as {@code mf1:<keyId>:<base64(nonce | ciphertext | tag)>}.
 * The key id names the master key a value was encrypted with, so values written under a previous key stay readable
 * while the keys rotate; {@link #encrypt} always uses the current key. Thread-safe.
 */
public final class SecretBox {

    /** Format version 1; a later format would get its own prefix and both would be read side by side. */
    public static final String PREFIX = "mf1:";
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final MasterKey current;
    private final Map<String, MasterKey> keys = new LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param current  encrypts every new value and decrypts the values that name it
     * @param previous only decrypt (the keys being rotated away from); ids must differ from each other and from current
     */
    public SecretBox(MasterKey current, Collection<MasterKey> previous) {
        if (current == null) {
            throw new SecretBoxException("no current master key");
        }
        this.current = current;
        keys.put(current.id(), current);
        for (MasterKey key : previous) {
            if (keys.putIfAbsent(key.id(), key) != null) {
                throw new SecretBoxException("master key id '" + key.id() + "' is configured twice");
            }
        }
    }

    public SecretBox(MasterKey current) {
        this(current, List.of());
    }

    /** From the configuration forms: {@code <id>:<base64>} for the current key and each previous one. */
    public static SecretBox fromConfig(String currentKey, Collection<String> previousKeys) {
        return new SecretBox(MasterKey.parse(currentKey),
            previousKeys == null ? List.of() : previousKeys.stream().filter(k -> k != null && !k.isBlank())
                .map(MasterKey::parse).toList());
    }

    /** Whether a text is in this class's encrypted form (it says nothing about whether it can be decrypted). */
    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String currentKeyId() {
        return current.id();
    }

    /** Encrypted under the current key: nothing for a re-encryption to do. Plain values are not current. */
    public boolean isCurrent(String value) {
        return isEncrypted(value) && value.startsWith(PREFIX + current.id() + ":");
    }

    /** Encrypts with the current key and a fresh nonce: the same plain text never gives the same stored text. */
    public String encrypt(String plain) {
        if (plain == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String header = PREFIX + current.id() + ":";
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(TAG_BITS, nonce));
            // The header is authenticated too: a value cannot be relabelled with another key id or format.
            cipher.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
            return header + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new SecretBoxException("encryption failed with master key '" + current.id() + "'", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt}, with the key its id names.
     *
     * @throws SecretBoxException when the text is not in the encrypted form, names a key id that is not configured,
     *                            or does not authenticate (wrong key under a reused id, or a changed value)
     */
    public String decrypt(String stored) {
        if (stored == null) {
            return null;
        }
        if (!isEncrypted(stored)) {
            throw new SecretBoxException("not an encrypted value (expected " + PREFIX + "<keyId>:...)");
        }
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new SecretBoxException("malformed encrypted value: no key id");
        }
        String keyId = stored.substring(PREFIX.length(), colon);
        MasterKey key = keys.get(keyId);
        if (key == null) {
            throw new SecretBoxException("value encrypted with master key id '" + keyId + "', which is not configured "
                + "(known: " + String.join(", ", keys.keySet()) + "); add it to miniflow.secrets.previous-master-keys");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretBoxException("malformed encrypted value: not base64");
        }
        if (data.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretBoxException("malformed encrypted value: too short");
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
            cipher.updateAAD(stored.substring(0, colon + 1).getBytes(StandardCharsets.US_ASCII));
            return new String(cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException("value encrypted with master key id '" + keyId + "' does not authenticate: "
                + "the key configured under that id is not the one it was written with, or the value was changed");
        } catch (GeneralSecurityException e) {
            throw new SecretBoxException("decryption failed with master key '" + keyId + "'", e);
        }
    }

    /**
     * For values that may be encrypted or plain: configuration properties (an operator may write either) and rows
     * written before secrets were encrypted (until the start-up re-encryption has moved them).
     */
    public String decryptIfEncrypted(String value) {
        return isEncrypted(value) ? decrypt(value) : value;
    }

    @Override
    public String toString() {
        return "SecretBox[current=" + current.id() + ", keys=" + keys.keySet() + "]";
    }
}
