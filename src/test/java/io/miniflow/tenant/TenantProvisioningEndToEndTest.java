package io.miniflow.tenant;

import io.miniflow.MiniflowIntegrationTest;

/** Issue #13's end-to-end test on H2: 20 tenants. */
@MiniflowIntegrationTest
class TenantProvisioningEndToEndTest extends TenantProvisioningEndToEnd {

    TenantProvisioningEndToEndTest() {
        super(20);
    }
}
