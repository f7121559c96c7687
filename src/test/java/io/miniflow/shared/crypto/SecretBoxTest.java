package io.miniflow.shared.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** AES-GCM under named master keys: round trip, fresh nonces, and every way a value can fail to decrypt. */
class SecretBoxTest {

    static final MasterKey A = MasterKey.generate("a");
    static final MasterKey B = MasterKey.generate("b");

    @Test
    void shouldDecryptWhatItEncrypted() {
        SecretBox box = new SecretBox(A);
        for (String plain : List.of("refreshtoken@@@x", "", "密钥 with ünïcode", "x".repeat(5000))) {
            String stored = box.encrypt(plain);
            assertThat(stored).startsWith("mf1:a:").doesNotContain(plain.isEmpty() ? "\u0000" : plain);
            assertThat(box.decrypt(stored)).isEqualTo(plain);
        }
        assertThat(box.encrypt(null)).isNull();
        assertThat(box.decrypt(null)).isNull();
    }

    @Test
    void shouldUseAFreshNonceForEveryEncryption() {
        SecretBox box = new SecretBox(A);
        String first = box.encrypt("same secret");
        String second = box.encrypt("same secret");
        assertThat(first).isNotEqualTo(second);
        byte[] a = payload(first);
        byte[] b = payload(second);
        assertThat(java.util.Arrays.copyOf(a, 12)).isNotEqualTo(java.util.Arrays.copyOf(b, 12));
        // nonce (12) + ciphertext (as long as the plain text) + tag (16)
        assertThat(a).hasSize(12 + "same secret".length() + 16);
    }

    @Test
    void shouldDetectATamperedValue() {
        SecretBox box = new SecretBox(A);
        String stored = box.encrypt("secret");
        byte[] data = payload(stored);
        for (int i = 0; i < data.length; i++) { // nonce, ciphertext and tag all count
            byte[] changed = data.clone();
            changed[i] ^= 1;
            String tampered = "mf1:a:" + Base64.getEncoder().encodeToString(changed);
            assertThatThrownBy(() -> box.decrypt(tampered)).isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("does not authenticate");
        }
    }

    @Test
    void shouldRefuseAValueUnderAnotherKeyWithTheSameId() {
        String stored = new SecretBox(A).encrypt("secret");
        SecretBox otherKeySameId = new SecretBox(MasterKey.generate("a"));
        assertThatThrownBy(() -> otherKeySameId.decrypt(stored)).isInstanceOf(SecretBoxException.class)
            .hasMessageContaining("'a'").hasMessageContaining("does not authenticate");
    }

    @Test
    void shouldRefuseAValueRelabelledWithAnotherKnownKeyId() {
        SecretBox box = new SecretBox(A, List.of(B));
        String relabelled = box.encrypt("secret").replaceFirst("^mf1:a:", "mf1:b:");
        assertThatThrownBy(() -> box.decrypt(relabelled)).isInstanceOf(SecretBoxException.class);
    }

    @Test
    void shouldNameAnUnknownKeyIdAndWhereToConfigureIt() {
        String stored = new SecretBox(A).encrypt("secret");
        assertThatThrownBy(() -> new SecretBox(B).decrypt(stored)).isInstanceOf(SecretBoxException.class)
            .hasMessageContaining("'a'").hasMessageContaining("known: b")
            .hasMessageContaining("miniflow.secrets.previous-master-keys");
    }

    @Test
    void shouldDecryptWithAPreviousKeyAndEncryptWithTheCurrentOne() {
        String underA = new SecretBox(A).encrypt("secret");
        SecretBox rotating = new SecretBox(B, List.of(A));
        assertThat(rotating.decrypt(underA)).isEqualTo("secret");
        assertThat(rotating.isCurrent(underA)).isFalse();
        String underB = rotating.encrypt("secret");
        assertThat(underB).startsWith("mf1:b:");
        assertThat(rotating.isCurrent(underB)).isTrue();
        assertThat(new SecretBox(B).decrypt(underB)).isEqualTo("secret");
    }

    @Test
    void shouldPassPlainValuesThroughOnlyWhereAskedTo() {
        SecretBox box = new SecretBox(A);
        assertThat(box.decryptIfEncrypted("plain-secret")).isEqualTo("plain-secret");
        assertThat(box.isCurrent("plain-secret")).isFalse();
        assertThatThrownBy(() -> box.decrypt("plain-secret")).isInstanceOf(SecretBoxException.class)
            .hasMessageContaining("not an encrypted value");
        assertThat(box.decryptIfEncrypted(box.encrypt("x"))).isEqualTo("x");
    }

    @Test
    void shouldRejectMalformedValuesWithoutEchoingThem() {
        SecretBox box = new SecretBox(A);
        for (String bad : List.of("mf1:a", "mf1:a:!!notbase64!!", "mf1:a:" + Base64.getEncoder().encodeToString(
            new byte[10]))) {
            assertThatThrownBy(() -> box.decrypt(bad)).isInstanceOf(SecretBoxException.class)
                .hasMessageStartingWith("malformed").hasMessageNotContaining("notbase64");
        }
    }

    @Test
    void shouldReadMasterKeysFromConfigurationAndNeverShowThem() {
        MasterKey parsed = MasterKey.parse(A.toConfigValue());
        assertThat(parsed.id()).isEqualTo("a");
        assertThat(parsed.sameKeyAs(A)).isTrue();
        assertThat(parsed.sameKeyAs(B)).isFalse();
        String material = A.toConfigValue().substring(2);
        assertThat(parsed.toString()).doesNotContain(material);
        assertThat(new SecretBox(A, List.of(B)).toString()).doesNotContain(material).contains("a", "b");

        SecretBox fromConfig = SecretBox.fromConfig(B.toConfigValue(), List.of(A.toConfigValue(), " "));
        assertThat(fromConfig.currentKeyId()).isEqualTo("b");
        assertThat(fromConfig.decrypt(new SecretBox(A).encrypt("x"))).isEqualTo("x");
    }

    @Test
    void shouldRefuseBadMasterKeys() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.parse("k:" + shortKey)).hasMessageContaining("32 bytes")
            .hasMessageNotContaining(shortKey);
        assertThatThrownBy(() -> MasterKey.parse("k:not base64!")).hasMessageContaining("not valid base64")
            .hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> MasterKey.parse(Base64.getEncoder().encodeToString(new byte[32])))
            .isInstanceOf(SecretBoxException.class);
        assertThatThrownBy(() -> MasterKey.parse("bad:id:" + Base64.getEncoder().encodeToString(new byte[32])))
            .isInstanceOf(SecretBoxException.class);
        assertThatThrownBy(() -> new SecretBox(A, List.of(MasterKey.generate("a"))))
            .hasMessageContaining("configured twice");
    }

    private static byte[] payload(String stored) {
        return Base64.getDecoder().decode(stored.substring(stored.indexOf(':', 4) + 1));
    }
}
