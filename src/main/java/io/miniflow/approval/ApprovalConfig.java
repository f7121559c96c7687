package io.miniflow.approval;

import static io.miniflow.approval.ApprovalVariables.*;

import java.util.Set;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.miniflow.shared.ProtectedVariables;

/** Binds {@link ApprovalTimings} under the bean name the process model uses; declares what people may not write. */
@Configuration(proxyBeanMethods = false)
class ApprovalConfig {

    @Bean("approvalTimings")
    ApprovalTimings approvalTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.approval", ApprovalTimings.class);
    }

    /**
     * review-approval is started by Miniflow only (the API, or app-publish's call), so everything it is started with
     * is internal; the reviewer's form fields {@code decision} and {@code comment} are the only free ones.
     */
    @Bean
    ProtectedVariables.Declaration reviewApprovalVariables() {
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(), Set.of(),
            Set.of(WORKSPACE, CATEGORY, TITLE, OBJECT_NAME, OBJECT_VERSION, ENVIRONMENT, APPLICANT, REQUIRED_APPROVALS,
                APPROVAL_ID, REVIEW_STATE, OUTCOME, OUTCOME_REASON, CloseApplication.CLOSE_AS),
            Set.of(WITHDRAW_MESSAGE));
    }
}
