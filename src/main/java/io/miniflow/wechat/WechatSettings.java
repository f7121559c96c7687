package io.miniflow.wechat;

import java.util.ArrayList;
import java.util.List;

import io.miniflow.shared.crypto.SecretBox;
import io.miniflow.wechat.crypto.WechatMessageCrypto;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Miniflow's WeChat third-party platform settings ({@code miniflow.wechat.*}). URLs are read when used, not at start:
 * in the sandbox they name this application's own port, which tests only know once the server is up. The secret,
 * the token and the EncodingAESKeys may be written encrypted ({@code mf1:...}, see docs/operations.md) and are
 * decrypted here, when read.
 */
@Component
public class WechatSettings {

    private final Environment environment;
    private final SecretBox secrets;

    WechatSettings(Environment environment, SecretBox secrets) {
        this.environment = environment;
        this.secrets = secrets;
    }

    public String apiBaseUrl() {
        String url = environment.getProperty("miniflow.wechat.api-base-url", "https://api.weixin.qq.com");
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public String componentAppId() {
        return environment.getRequiredProperty("miniflow.wechat.component-app-id");
    }

    public String componentAppSecret() {
        return secrets.decryptIfEncrypted(environment.getRequiredProperty("miniflow.wechat.component-app-secret"));
    }

    public String token() {
        return secrets.decryptIfEncrypted(environment.getRequiredProperty("miniflow.wechat.token"));
    }

    public String encodingAesKey() {
        return secrets.decryptIfEncrypted(environment.getRequiredProperty("miniflow.wechat.encoding-aes-key"));
    }

    public String previousEncodingAesKey() {
        String key = environment.getProperty("miniflow.wechat.previous-encoding-aes-key");
        return key == null || key.isBlank() ? null : secrets.decryptIfEncrypted(key);
    }

    public String authorizeUrl() {
        return environment.getProperty("miniflow.wechat.authorize-url",
            "https://mp.weixin.qq.com/cgi-bin/componentloginpage");
    }

    /** How many templates the platform's template library holds at most (addtotemplate answers 85065 beyond it). */
    public int templateLibraryLimit() {
        return environment.getProperty("miniflow.wechat.template-library-limit", Integer.class, 200);
    }

    /** The current key first, then the previous one while the platform rotates it. */
    public List<WechatMessageCrypto> cryptos() {
        List<WechatMessageCrypto> list = new ArrayList<>();
        list.add(new WechatMessageCrypto(token(), encodingAesKey(), componentAppId()));
        if (previousEncodingAesKey() != null) {
            list.add(new WechatMessageCrypto(token(), previousEncodingAesKey(), componentAppId()));
        }
        return list;
    }
}
