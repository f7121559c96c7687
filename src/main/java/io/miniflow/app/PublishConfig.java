package io.miniflow.app;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/** Binds {@link PublishTimings} under the bean name the process model uses. */
@Configuration(proxyBeanMethods = false)
@Profile("!sandbox-only")
class PublishConfig {

    @Bean("publishTimings")
    PublishTimings publishTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.publish", PublishTimings.class);
    }
}
