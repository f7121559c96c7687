package io.miniflow.shared.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Start-up refuses to run without a master key, prod refuses the sandbox's, and mf1: settings must decrypt. */
class SecretsConfigTest {

    @Test
    void shouldRefuseToStartWithoutAMasterKey() {
        assertThatThrownBy(() -> SecretsConfig.create("", List.of(), false)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("MINIFLOW_SECRETS_MASTER_KEY");
        assertThatThrownBy(() -> SecretsConfig.create(null, List.of(), true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldRefuseTheSandboxKeyAsTheCurrentKeyInProductionOnly() {
        assertThat(SecretsConfig.create(SecretsConfig.SANDBOX_MASTER_KEY, List.of(), false).currentKeyId())
            .isEqualTo("sandbox");
        assertThatThrownBy(() -> SecretsConfig.create(SecretsConfig.SANDBOX_MASTER_KEY, List.of(), true))
            .hasMessageContaining("sandbox");
        String renamed = "mine" + SecretsConfig.SANDBOX_MASTER_KEY.substring("sandbox".length());
        assertThatThrownBy(() -> SecretsConfig.create(renamed, List.of(), true)).hasMessageContaining("sandbox");

        String own = MasterKey.generate("prod1").toConfigValue();
        SecretBox box = SecretsConfig.create(own, List.of(SecretsConfig.SANDBOX_MASTER_KEY), true);
        assertThat(box.currentKeyId()).isEqualTo("prod1");
        String underSandbox = SecretBox.fromConfig(SecretsConfig.SANDBOX_MASTER_KEY, null).encrypt("x");
        assertThat(box.decrypt(underSandbox)).as("the sandbox key may stay as a previous key").isEqualTo("x");
    }

    @Test
    void shouldNameEncryptedSettingsThatDoNotDecryptButNotTheirValues() {
        SecretBox box = new SecretBox(MasterKey.generate("k1"));
        String good = box.encrypt("aliyun-secret");
        String foreign = new SecretBox(MasterKey.generate("k0")).encrypt("wechat-secret");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
            "miniflow.aliyun.access-key-secret", good,
            "miniflow.wechat.component-app-secret", foreign,
            "MINIFLOW_WECHATPAY_API_V3_KEY", "mf1:k1:AAAA",
            "miniflow.wechat.token", "plain-token",
            "other.setting", foreign)));

        List<String> unreadable = SecretsConfig.undecryptableProperties(environment, box);

        assertThat(unreadable).hasSize(2);
        assertThat(unreadable.get(0)).startsWith("MINIFLOW_WECHATPAY_API_V3_KEY (malformed");
        assertThat(unreadable.get(1)).startsWith("miniflow.wechat.component-app-secret (").contains("'k0'");
        assertThat(String.join(" ", unreadable)).doesNotContain(foreign.substring(8));
    }
}
