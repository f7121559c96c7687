package io.miniflow.tenant;

import static io.miniflow.tenant.TenantVariables.*;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.miniflow.shared.ProcessVariable;
import io.miniflow.shared.ProtectedVariables;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** Binds {@link TenantTimings} under the bean name the model uses; declares what people may not write. */
@Configuration(proxyBeanMethods = false)
class TenantConfig {

    @Bean("tenantTimings")
    TenantTimings tenantTimings(Environment environment) {
        return Binder.get(environment).bindOrCreate("miniflow.tenants", TenantTimings.class);
    }

    /**
     * tenant-provisioning is started by Miniflow only (the OpenAPI, the console's "Open tenant"): all it carries is
     * internal, and so are its messages. Free is the operator's decision on Task_RetryOrClose.
     */
    @Bean
    ProtectedVariables.Declaration tenantProvisioningVariables() {
        Set<String> internal = Stream.of(WORKSPACE, TENANT_CODE, TENANT_APP_CODE, TENANT_APP_ID, APP_ID, TEMPLATE_ID,
                USER_VERSION, USER_DESC, RELEASED_VERSION, FAILED_STEP)
            .map(ProcessVariable::name).collect(Collectors.toUnmodifiableSet());
        return new ProtectedVariables.Declaration(PROCESS_KEY, Set.of(), Set.of(), internal,
            Set.of(MESSAGE_AUTHORIZED, MESSAGE_LINK_RENEWED, MESSAGE_CLOSE, MESSAGE_CLOSE_OPENED));
    }
}
