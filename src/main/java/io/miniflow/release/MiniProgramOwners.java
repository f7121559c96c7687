package io.miniflow.release;

import java.util.Optional;

/**
 * Whose a mini program is: the tenant app it serves (its workspace and app), when a tenant bound it. The tenant
 * feature answers; a mini program no tenant bound belongs to the platform, shared by the workspaces.
 */
public interface MiniProgramOwners {

    Optional<Owner> ofMiniProgram(String appId);

    /** The workspace of an app (by app code), empty when there is no such app. */
    Optional<String> workspaceOfApp(String appCode);

    record Owner(String workspace, String appCode, String tenantAppCode) {
    }
}
