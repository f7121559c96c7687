package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import io.miniflow.shared.crypto.MasterKey;
import io.miniflow.shared.crypto.SecretBox;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The platform's secrets may be configured in plain text or encrypted with the master key. */
class WechatSettingsTest {

    @Test
    void shouldDecryptEncryptedSecretsAndPassPlainOnes() {
        SecretBox box = new SecretBox(MasterKey.generate("k1"));
        String aesKey = "a".repeat(43);
        MockEnvironment environment = new MockEnvironment()
            .withProperty("miniflow.wechat.component-app-id", "wxcomponent")
            .withProperty("miniflow.wechat.component-app-secret", box.encrypt("real-secret"))
            .withProperty("miniflow.wechat.token", "plain-token")
            .withProperty("miniflow.wechat.encoding-aes-key", box.encrypt(aesKey))
            .withProperty("miniflow.wechat.previous-encoding-aes-key", box.encrypt("b".repeat(43)));

        WechatSettings settings = new WechatSettings(environment, box);

        assertThat(settings.componentAppSecret()).isEqualTo("real-secret");
        assertThat(settings.token()).isEqualTo("plain-token");
        assertThat(settings.encodingAesKey()).isEqualTo(aesKey);
        assertThat(settings.previousEncodingAesKey()).isEqualTo("b".repeat(43));
        assertThat(settings.cryptos()).hasSize(2);
    }
}
