package io.miniflow.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.Tenant;
import org.springframework.stereotype.Component;

/**
 * Runs an engine command as the console's user, so Camunda checks that user's authorizations and tenants and
 * writes their name into the user operation log, exactly as if they had clicked in Tasklist.
 */
@Component
public class EngineUser {

    private final IdentityService identityService;

    public EngineUser(IdentityService identityService) {
        this.identityService = identityService;
    }

    public <T> T call(CurrentUser user, Supplier<T> command) {
        List<String> tenants = identityService.createTenantQuery().userMember(user.username())
            .includingGroupsOfUser(true).list().stream().map(Tenant::getId).toList();
        identityService.setAuthentication(user.username(), new ArrayList<>(user.groups()), tenants);
        try {
            return command.get();
        } finally {
            identityService.clearAuthentication();
        }
    }

    public void run(CurrentUser user, Runnable command) {
        call(user, () -> {
            command.run();
            return null;
        });
    }
}
