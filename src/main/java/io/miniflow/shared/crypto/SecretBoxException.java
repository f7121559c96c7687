package io.miniflow.shared.crypto;

/**
 * A stored or configured secret could not be encrypted or decrypted. The message names the reason (unknown key id,
 * wrong key or tampered value, malformed text) and never the secret or its ciphertext.
 */
public class SecretBoxException extends RuntimeException {

    public SecretBoxException(String message) {
        super(message);
    }

    public SecretBoxException(String message, Throwable cause) {
        super(message, cause);
    }
}
