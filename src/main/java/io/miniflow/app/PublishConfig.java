package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.miniflow.shared.ProtectedVariables;

/** Binds {@link PublishTimings} under the bean name the process model uses; declares what people may not write. */
@Configuration(proxyBeanMethods = false)
class PublishConfig {

    @Bean("publishTimings")
    PublishTimings publishTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.publish", PublishTimings.class);
    }

    /**
     * People start app-publish (the API, Tasklist's start form): they give what to publish at the start, never who
     * publishes, and nothing the steps decide.
     */
    @Bean
    ProtectedVariables.Declaration appPublishVariables() {
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(PUBLISHER),
            Set.of(WORKSPACE, APP_CODE, ENV_CODE, VERSION, ENGINE_VERSION, NOTE),
            Set.of(VERSION_ID, ENVIRONMENT_ID, REQUIRES_APPROVAL, REQUIRED_APPROVALS, APPROVAL_TITLE, APPROVAL_OUTCOME,
                APPROVAL_REASON, APPROVAL_ID, ACCESS_URL),
            Set.of());
    }
}
