package io.miniflow.app;

import static io.miniflow.app.PublishVariables.*;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.miniflow.shared.ProtectedVariables;

/** app-version-removal is started by Miniflow only: everything it holds is internal (who asked, what, the approval). */
@Configuration(proxyBeanMethods = false)
class RemovalConfig {

    @Bean
    ProtectedVariables.Declaration appVersionRemovalVariables() {
        return new ProtectedVariables.Declaration(VersionRemovals.PROCESS_KEY, Set.of(), Set.of(),
            Set.of(WORKSPACE, APP_CODE, ENV_CODE, VERSION, VERSION_ID, ENVIRONMENT_ID, VersionRemovals.PREVIOUS_VERSION_ID,
                VersionRemovals.PREVIOUS_VERSION, VersionRemovals.REQUESTER, APPROVAL_TITLE, REQUIRED_APPROVALS,
                APPROVAL_OUTCOME, APPROVAL_REASON, APPROVAL_ID, ACCESS_URL),
            Set.of());
    }
}
