package io.miniflow.cloudapp;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds {@link CloudPlans} under the bean name the environment-build model may use ({@code ${cloudPlans...}}). */
@Configuration(proxyBeanMethods = false)
class CloudAppConfig {

    @Bean("cloudPlans")
    CloudPlans cloudPlans(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.cloud", CloudPlans.class);
    }
}
