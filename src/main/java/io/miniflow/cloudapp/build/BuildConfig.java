package io.miniflow.cloudapp.build;

import static io.miniflow.cloudapp.build.BuildVariables.*;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.miniflow.shared.ProcessVariable;
import io.miniflow.shared.ProtectedVariables;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds {@link BuildTimings} under the bean name the model uses; declares what people may not write. */
@Configuration(proxyBeanMethods = false)
class BuildConfig {

    @Bean("buildTimings")
    BuildTimings buildTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.cloud.build", BuildTimings.class);
    }

    @Bean
    CloudNetwork cloudNetwork(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.cloud.network", CloudNetwork.class);
    }

    /** Started by Miniflow only (the builds API); everything it carries and decides is internal, its messages too. */
    @Bean
    ProtectedVariables.Declaration environmentBuildVariables() {
        Set<String> internal = Stream.of(WORKSPACE, BUILD_ID, CLOUD_APP, ENV, PLAN, OUT_TRADE_NO, ORDER_PAID,
                INSTANCES_RUNNING, INVOCATION_ID, COMMAND_DONE, DATABASE_RUNNING)
            .map(ProcessVariable::name).collect(Collectors.toUnmodifiableSet());
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(), Set.of(), internal,
            Set.of(MESSAGE_PAYMENT_RECEIVED, MESSAGE_GIVE_UP));
    }
}
