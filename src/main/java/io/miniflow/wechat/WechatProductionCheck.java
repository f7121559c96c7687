package io.miniflow.wechat;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The prod profile refuses the sandbox's published WeChat secret, token and EncodingAESKey. */
@Component
@Profile("prod")
class WechatProductionCheck implements ApplicationRunner {

    static final String SANDBOX_SECRET = "sandbox-component-secret";
    static final String SANDBOX_TOKEN = "miniflowsandboxtoken";
    static final String SANDBOX_AES_KEY = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ";

    private final WechatSettings settings;

    WechatProductionCheck(WechatSettings settings) {
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<String> problems = problems(settings.componentAppSecret(), settings.token(), settings.encodingAesKey());
        if (!problems.isEmpty()) {
            throw new IllegalStateException("WeChat settings still hold sandbox defaults: " + String.join(", ", problems)
                + " (set MINIFLOW_WECHAT_COMPONENT_APP_SECRET, MINIFLOW_WECHAT_TOKEN, MINIFLOW_WECHAT_ENCODING_AES_KEY)");
        }
    }

    static List<String> problems(String secret, String token, String aesKey) {
        List<String> problems = new ArrayList<>();
        if (SANDBOX_SECRET.equals(secret)) {
            problems.add("component-app-secret");
        }
        if (SANDBOX_TOKEN.equals(token)) {
            problems.add("token");
        }
        if (SANDBOX_AES_KEY.equals(aesKey)) {
            problems.add("encoding-aes-key");
        }
        return problems;
    }
}
