package io.miniflow.release;

import static io.miniflow.release.ReleaseVariables.*;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import io.miniflow.shared.ProcessVariable;
import io.miniflow.shared.ProtectedVariables;

/** Binds {@link ReleaseTimings} under the bean name the process model uses; declares what people may not write. */
@Configuration(proxyBeanMethods = false)
class ReleaseConfig {

    @Bean("releaseTimings")
    ReleaseTimings releaseTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.release", ReleaseTimings.class);
    }

    // Release processes are started by Miniflow only: all they are started with, and all their steps decide, is
    // internal. Free are the people's task fields: quotaDecision, quotaNote, rejectionDecision, rejectionFeedback.

    /** What a batch passes on to each mini program's release. */
    private static final Set<String> BATCH_INPUTS = names(WORKSPACE, BatchVariables.BATCH_ID, TEMPLATE_ID,
        USER_VERSION, USER_DESC, GRAY_PLAN, GRAY_APPROVAL);

    @Bean
    ProtectedVariables.Declaration templateReleaseVariables() {
        return internal(BatchVariables.PROCESS_KEY, union(BATCH_INPUTS, names(BatchVariables.QUOTA_SHORT,
            BatchVariables.QUOTA_REMAINING, BatchVariables.CLOSE_AS)), Set.of(BatchVariables.ALL_ENDED_MESSAGE));
    }

    @Bean
    ProtectedVariables.Declaration miniProgramReleaseVariables() {
        return internal(PROCESS_KEY, union(BATCH_INPUTS, names(APP_ID, BatchVariables.ITEM_ID, EXT_JSON,
            REQUEST_DOMAINS, WEBVIEW_DOMAINS, PRIVACY_CONTACT_EMAIL, PRIVACY_GUIDE, AUDIT_ID, AUDIT_STATUS, AUDIT_REASON, GRAY_STEP,
            GRAY_PLAN_DONE, ROLLBACK_TARGET, WAIT_REASON, RELEASED_VERSION, GRAY_PLAN_SKIPPED, AUDIT_SCREENSHOTS, AUDIT_DELAYED)),
            Set.of(MESSAGE_AUDIT_RESULT, MESSAGE_ROLLBACK, MESSAGE_GRAY_STEP_APPROVED, MESSAGE_SUBMIT_AGAIN,
                MESSAGE_SPEED_UP));
    }

    @Bean
    ProtectedVariables.Declaration miniProgramRollbackVariables() {
        // Who asked for a chosen-version rollback is the authenticated user, set by Miniflow only.
        return new ProtectedVariables.Declaration(BatchVariables.ROLLBACK_PROCESS_KEY, names(ROLLBACK_REQUESTED_BY),
            Set.of(), names(WORKSPACE, APP_ID, USER_VERSION, BatchVariables.BATCH_ID, BatchVariables.ITEM_ID,
                ROLLBACK_TARGET, ROLLBACK_APP_VERSION), Set.of());
    }

    private static ProtectedVariables.Declaration internal(String processKey, Set<String> names, Set<String> messages) {
        return new ProtectedVariables.Declaration(processKey, Set.of(), Set.of(), names, messages);
    }

    private static Set<String> names(ProcessVariable<?>... variables) {
        return Stream.of(variables).map(ProcessVariable::name).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
