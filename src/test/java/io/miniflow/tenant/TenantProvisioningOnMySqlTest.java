package io.miniflow.tenant;

import io.miniflow.MySqlDatabase;
import io.miniflow.MySqlIntegrationTest;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same end to end on MySQL/MariaDB (skipped without one): the row locks that let the redirect and the push take
 * turns, the tenant's status under its lock, the webhook attempts in transactions of their own.
 */
@MySqlIntegrationTest
class TenantProvisioningOnMySqlTest extends TenantProvisioningEndToEnd {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        MySqlDatabase.register(registry);
    }

    TenantProvisioningOnMySqlTest() {
        super(8);
    }
}
