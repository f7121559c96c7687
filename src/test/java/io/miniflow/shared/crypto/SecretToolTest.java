package io.miniflow.shared.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The operator's command line makes keys and values the application then reads. */
class SecretToolTest {

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, Map<String, String> env, String... args) throws IOException {
        return SecretTool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void shouldMakeAMasterKeyTheApplicationAccepts() throws IOException {
        assertThat(run("", Map.of(), "new-key", "k2026")).isZero();
        MasterKey key = MasterKey.parse(output());
        assertThat(key.id()).isEqualTo("k2026");
    }

    @Test
    void shouldEncryptStandardInputWithoutItsLineEnd() throws IOException {
        String master = MasterKey.generate("k1").toConfigValue();
        assertThat(run("component-secret\n", Map.of(SecretTool.MASTER_KEY_VARIABLE, master), "encrypt")).isZero();
        assertThat(output()).startsWith("mf1:k1:").doesNotContain("component-secret");
        assertThat(SecretBox.fromConfig(master, null).decrypt(output())).isEqualTo("component-secret");
    }

    @Test
    void shouldKeepTheLinesOfAPemKey() throws IOException {
        String master = MasterKey.generate("k1").toConfigValue();
        String pem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";
        assertThat(run(pem, Map.of(SecretTool.MASTER_KEY_VARIABLE, master), "encrypt")).isZero();
        assertThat(SecretBox.fromConfig(master, null).decrypt(output())).isEqualTo(pem.substring(0, pem.length() - 1));
    }

    @Test
    void shouldRefuseToEncryptWithoutAKeyOrASecret() throws IOException {
        assertThat(run("secret", Map.of(), "encrypt")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("MINIFLOW_SECRETS_MASTER_KEY");
        assertThat(run("", Map.of(SecretTool.MASTER_KEY_VARIABLE, MasterKey.generate("k").toConfigValue()),
            "encrypt")).isEqualTo(1);
        assertThat(output()).isEmpty();
        assertThat(run("", Map.of(), "decrypt")).isEqualTo(2);
    }
}
