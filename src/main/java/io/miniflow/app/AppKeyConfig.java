package io.miniflow.app;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds {@link AppKeySettings} (defaults when nothing is configured). */
@Configuration(proxyBeanMethods = false)
class AppKeyConfig {

    @Bean
    AppKeySettings appKeySettings(Environment environment) {
        return Binder.get(environment).bind("miniflow.app-keys", AppKeySettings.class)
            .orElseGet(() -> new AppKeySettings(null, null, null));
    }
}
