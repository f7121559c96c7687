package io.miniflow.release;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds {@link ReleaseTimings} under the bean name the process model uses. */
@Configuration(proxyBeanMethods = false)
class ReleaseConfig {

    @Bean("releaseTimings")
    ReleaseTimings releaseTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.release", ReleaseTimings.class);
    }
}
