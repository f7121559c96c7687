package io.miniflow.cloudapp.release;

import static io.miniflow.cloudapp.release.EnvironmentReleaseVariables.*;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.miniflow.approval.ReviewCall;
import io.miniflow.shared.ProcessVariable;
import io.miniflow.shared.ProtectedVariables;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares what people may not write in environment-release. Its retry cycle is the build's (buildTimings). */
@Configuration(proxyBeanMethods = false)
class EnvironmentReleaseConfig {

    /** Started by Miniflow only (the release API, after its checks); everything it carries is internal. */
    @Bean
    ProtectedVariables.Declaration environmentReleaseVariables() {
        Set<String> internal = Stream.concat(Stream.of(WORKSPACE, ENVIRONMENT_ID, BUILD_ID, CLOUD_APP, ENV,
                REQUESTED_BY, RETURN_TO, SERVERS_STOPPED), ReviewCall.all().stream())
            .map(ProcessVariable::name).collect(Collectors.toUnmodifiableSet());
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(), Set.of(), internal, Set.of());
    }
}
