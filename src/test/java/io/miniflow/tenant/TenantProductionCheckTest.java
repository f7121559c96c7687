package io.miniflow.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TenantProductionCheckTest {

    @Test
    void productionNeedsAPublicHttpsAddress() {
        assertThat(TenantProductionCheck.problem("")).contains("MINIFLOW_PUBLIC_URL");
        assertThat(TenantProductionCheck.problem("http://miniflow.example.com")).contains("https");
        assertThat(TenantProductionCheck.problem("https://")).isNotNull();
        assertThat(TenantProductionCheck.problem("https://miniflow.example.com")).isNull();
    }
}
