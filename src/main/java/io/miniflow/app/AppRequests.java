package io.miniflow.app;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of the apps API and console forms, with their rules (messages in i18n/app). */
public final class AppRequests {

    private AppRequests() {
    }

    public record NewApp(
        @NotBlank(message = "{app.workspace.required}")
        @Size(max = 64, message = "{error.reference.size}") String workspace,
        @NotBlank(message = "{app.appCode.required}")
        @Pattern(regexp = Codes.CODE_REGEX, message = "{app.appCode.pattern}") String appCode,
        @NotBlank(message = "{app.name.required}") @Size(max = 100, message = "{app.name.size}") String name,
        @Size(max = 500, message = "{app.description.size}") String description,
        @NotBlank(message = "{app.engineVersion.required}")
        @Pattern(regexp = Codes.SEMVER_REGEX, message = "{app.engineVersion.pattern}") String engineVersion,
        @Size(max = 50, message = "{app.packages.size}")
        List<@NotNull(message = "{error.list.nullItem}") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}@"
            + Codes.SEMVER_REGEX, message = "{app.packages.pattern}") String> packages) {
    }

    public record NewEnvironment(
        @NotBlank(message = "{app.envCode.required}")
        @Pattern(regexp = Codes.CODE_REGEX, message = "{app.envCode.pattern}") String envCode,
        @NotBlank(message = "{app.envName.required}") @Size(max = 64, message = "{app.envName.size}") String name,
        @NotBlank(message = "{app.domain.required}")
        @Pattern(regexp = Codes.URL_REGEX, message = "{app.domain.pattern}") @Size(max = 255) String domain,
        @NotBlank(message = "{app.apiDomain.required}")
        @Pattern(regexp = Codes.URL_REGEX, message = "{app.domain.pattern}") @Size(max = 255) String apiDomain,
        @Size(max = 64, message = "{app.config.size}") String deployConfig,
        @Size(max = 64, message = "{app.config.size}") String storageConfig,
        boolean requiresApproval,
        @Min(value = 1, message = "{app.requiredApprovals.range}")
        @Max(value = 5, message = "{app.requiredApprovals.range}") Integer requiredApprovals) {
    }

    public record NewDeployConfig(
        @NotBlank(message = "{app.workspace.required}")
        @Size(max = 64, message = "{error.reference.size}") String workspace,
        @NotBlank(message = "{app.configName.required}")
        @Pattern(regexp = Codes.NAME_REGEX, message = "{app.configName.pattern}") String name,
        @NotBlank(message = "{app.cloudVendor.required}") @Size(max = 32, message = "{app.cloudVendor.size}") String cloudVendor,
        @NotBlank(message = "{app.deployPath.required}")
        @Pattern(regexp = Codes.DEPLOY_PATH_REGEX, message = "{app.deployPath.pattern}") String deployPath,
        @NotBlank(message = "{app.domain.required}")
        @Pattern(regexp = Codes.URL_REGEX, message = "{app.domain.pattern}") @Size(max = 255) String deployDomain,
        @NotBlank(message = "{app.accessPath.required}")
        @Pattern(regexp = Codes.ACCESS_PATH_REGEX, message = "{app.path.pattern}") String accessPath,
        @Size(max = 500, message = "{app.note.size}") String note) {
    }

    public record NewStorageConfig(
        @NotBlank(message = "{app.workspace.required}")
        @Size(max = 64, message = "{error.reference.size}") String workspace,
        @NotBlank(message = "{app.configName.required}")
        @Pattern(regexp = Codes.NAME_REGEX, message = "{app.configName.pattern}") String name,
        @NotBlank(message = "{app.vendor.required}") @Size(max = 32, message = "{app.cloudVendor.size}") String vendor,
        @NotBlank(message = "{app.bucket.required}") @Size(max = 128, message = "{app.bucket.size}")
        @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,127}", message = "{app.bucket.pattern}") String bucket,
        @Size(max = 64, message = "{app.region.size}") String region,
        @NotBlank(message = "{app.domain.required}")
        @Pattern(regexp = Codes.URL_REGEX, message = "{app.domain.pattern}") @Size(max = 255) String baseUrl,
        @Size(max = 500, message = "{app.note.size}") String note) {
    }

    public record NewPackage(
        @NotBlank(message = "{app.workspace.required}")
        @Size(max = 64, message = "{error.reference.size}") String workspace,
        @NotBlank(message = "{app.packageName.required}")
        @Pattern(regexp = Codes.NAME_REGEX, message = "{app.configName.pattern}") String name,
        @NotBlank(message = "{app.packageVersion.required}")
        @Pattern(regexp = Codes.SEMVER_REGEX, message = "{app.version.pattern}") String version,
        @Size(max = 500, message = "{app.description.size}") String description,
        @Size(max = 500, message = "{app.repositoryUrl.pattern}")
        @Pattern(regexp = "(" + AppEditRequests.REPOSITORY_REGEX + ")?", message = "{app.repositoryUrl.pattern}")
        String repositoryUrl,
        @Size(max = 100, message = "{app.components.size}") List<@NotNull(message = "{error.list.nullItem}") @Valid NewComponent> components) {
    }

    public record NewComponent(
        @NotBlank(message = "{app.componentName.required}") @Size(max = 64, message = "{app.componentName.size}") String name,
        @Size(max = 500, message = "{app.description.size}") String detail) {
    }

    public record PublishRequest(
        @NotBlank(message = "{app.version.required}")
        @Pattern(regexp = Codes.SEMVER_REGEX, message = "{app.version.pattern}") String version,
        @Size(max = 500, message = "{app.note.size}") String note) {
    }
}
