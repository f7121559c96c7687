package io.miniflow.release;

import static io.miniflow.release.ServiceChanges.*;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.miniflow.shared.ProtectedVariables;

/** wechat-mp-service is started by Miniflow only: everything it holds is internal (who asked, what, the approval). */
@Configuration(proxyBeanMethods = false)
class ServiceChangeConfig {

    @Bean
    ProtectedVariables.Declaration miniProgramServiceVariables() {
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(), Set.of(), Set.of(WORKSPACE, APP_ID, ACTION,
            REQUESTER, APPROVAL_CATEGORY, APPROVAL_TITLE, APPROVAL_OUTCOME, APPROVAL_REASON, APPROVAL_ID, REFUSAL),
            Set.of());
    }
}
