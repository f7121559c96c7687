package io.miniflow.cloudapp.deploy;

import static io.miniflow.cloudapp.deploy.DeployVariables.*;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.miniflow.approval.ReviewCall;
import io.miniflow.shared.ProcessVariable;
import io.miniflow.shared.ProtectedVariables;

/** Binds {@link DeploySettings} under the bean name the model uses; declares what people may not write. */
@Configuration(proxyBeanMethods = false)
class DeployConfig {

    @Bean("deploySettings")
    DeploySettings deploySettings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.cloud.deploy", DeploySettings.class);
    }

    /** Started by Miniflow only (the deploys API, after its checks); everything it carries and decides is internal. */
    @Bean
    ProtectedVariables.Declaration environmentDeployVariables() {
        Set<String> internal = Stream.concat(Stream.of(WORKSPACE, ENVIRONMENT_ID, DEPLOY_ID, CLOUD_APP, ENV,
                PACKAGE_VERSION, REQUESTED_BY, LOAD_BALANCED, INSTALL, HEALTH, MORE_SERVERS, ROLLING_BACK, AFTER_FAILURE),
                ReviewCall.all().stream())
            .map(ProcessVariable::name).collect(Collectors.toUnmodifiableSet());
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(), Set.of(), internal, Set.of());
    }
}
