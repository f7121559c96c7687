package io.miniflow.app;

/** Where an environment's versions are deployed and how they are reached. */
public record DeployConfig(long id, String workspace, String name, String cloudVendor, String deployPath,
                           String deployDomain, String accessPath, String note) {
}
