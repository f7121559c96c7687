package io.miniflow.shared.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 master key and the id that stored values name it by. Written in configuration as
 * {@code <id>:<base64 of 32 bytes>}, e.g. {@code k2026:3q2+7w...}; {@link #toString()} shows the id only.
 */
public final class MasterKey {

    /** Ids go into every stored value between colons, so they may not contain one. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    static final int KEY_BYTES = 32;

    private final String id;
    private final SecretKey key;

    public MasterKey(String id, byte[] key) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new SecretBoxException("master key id must be 1-32 characters of [A-Za-z0-9_-], got '" + id + "'");
        }
        if (key == null || key.length != KEY_BYTES) {
            throw new SecretBoxException("master key '" + id + "' must be " + KEY_BYTES + " bytes (AES-256), got "
                + (key == null ? 0 : key.length));
        }
        this.id = id;
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads {@code <id>:<base64 of 32 bytes>}; the error never repeats the key material. */
    public static MasterKey parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new SecretBoxException("master key is empty");
        }
        int colon = spec.indexOf(':');
        if (colon < 0) {
            throw new SecretBoxException("master key must be written as <id>:<base64 of 32 bytes>");
        }
        String id = spec.substring(0, colon).trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(spec.substring(colon + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new SecretBoxException("master key '" + id + "' is not valid base64");
        }
        return new MasterKey(id, key);
    }

    /** A fresh random key, for {@code SecretTool new-key}. */
    public static MasterKey generate(String id) {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return new MasterKey(id, key);
    }

    public String id() {
        return id;
    }

    SecretKey key() {
        return key;
    }

    /** The configuration form {@code <id>:<base64>}: this one does reveal the key (only the CLI prints it). */
    public String toConfigValue() {
        return id + ":" + Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /** Same key bytes, whatever the ids: the prod check refuses the published sandbox key under any name. */
    public boolean sameKeyAs(MasterKey other) {
        return other != null && MessageDigest.isEqual(key.getEncoded(), other.key.getEncoded());
    }

    @Override
    public String toString() {
        return "MasterKey[" + id + "]";
    }
}
