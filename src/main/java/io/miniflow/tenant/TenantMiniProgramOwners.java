package io.miniflow.tenant;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import io.miniflow.release.MiniProgramOwners;

/** The tenant app a mini program is bound to (mf_tenant_binding), and an app's workspace, for the release feature. */
@Component
class TenantMiniProgramOwners implements MiniProgramOwners {

    private final JdbcClient jdbc;

    TenantMiniProgramOwners(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Owner> ofMiniProgram(String appId) {
        return jdbc.sql("SELECT a.workspace, a.app_code, a.tenant_app_code FROM mf_tenant_binding b"
                + " JOIN mf_tenant_app a ON a.id = b.tenant_app_id WHERE b.mini_program_app_id = ?")
            .param(appId)
            .query((rs, i) -> new Owner(rs.getString("workspace"), rs.getString("app_code"),
                rs.getString("tenant_app_code")))
            .optional();
    }

    @Override
    public Optional<String> workspaceOfApp(String appCode) {
        return jdbc.sql("SELECT workspace FROM mf_app WHERE app_code = ?").param(appCode).query(String.class).optional();
    }
}
