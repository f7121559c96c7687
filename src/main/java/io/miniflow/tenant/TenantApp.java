package io.miniflow.tenant;

import java.time.Instant;
import java.util.List;

/**
 * One tenant's app (mf_tenant_app): created from an app's environment at its online version ({@code createdFrom}),
 * bound to a WeChat mini program ({@code miniProgramAppId}) and released; one tenant-provisioning instance each.
 * {@code errorCode} with {@code errorArgs} ('|' separated) names the reason of a FAILED stage.
 */
public record TenantApp(long id, long tenantId, String workspace, String tenantAppCode, String appCode, String envCode,
                        String createdFrom, Long templateId, String extJson, TenantAppStage stage, String errorCode,
                        String errorArgs, String businessId, Instant linkExpiresAt, String miniProgramAppId,
                        String releasedVersion, String processInstanceId, String requestHash, Instant createdAt,
                        Instant updatedAt) {

    public List<String> errorArgList() {
        return errorArgs == null || errorArgs.isEmpty() ? List.of() : List.of(errorArgs.split("\\|", -1));
    }
}
