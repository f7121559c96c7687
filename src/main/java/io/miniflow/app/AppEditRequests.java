package io.miniflow.app;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Bodies that change what exists: apps, environments, configs, packages, components and groups (issue #20). */
public final class AppEditRequests {

    /** A repository address a package is read from: https, git over ssh (git@host:path) or ssh://. */
    static final String REPOSITORY_REGEX = "(https://|ssh://|git@)[A-Za-z0-9][A-Za-z0-9.-]{0,252}[:/][A-Za-z0-9._~/-]{1,400}";
    /** An icon: an https URL or a data-less icon name of the designer's set (e.g. icon-button). */
    static final String ICON_REGEX = "((https://[A-Za-z0-9][A-Za-z0-9.-]{0,252}(:[0-9]{1,5})?(/[A-Za-z0-9._~%-]+)*/?|[a-z][a-z0-9-]{0,63}))?";

    private AppEditRequests() {
    }

    public record AppName(
        @NotBlank(message = "{app.name.required}") @Size(max = 100, message = "{app.name.size}") String name,
        @Size(max = 500, message = "{app.description.size}") String description) {
    }

    /** {@code confirm}: the caller has seen what stops working (a downgrade) and goes on. */
    public record AppEngine(
        @NotBlank(message = "{app.engineVersion.required}")
        @Pattern(regexp = Codes.SEMVER_REGEX, message = "{app.engineVersion.pattern}") String engineVersion,
        Boolean confirm) {

        boolean confirmed() {
            return Boolean.TRUE.equals(confirm);
        }
    }

    /** The app's packages as a whole (name@1.2.3); {@code confirm}: dropping a package is meant. */
    public record AppPackages(
        @NotNull(message = "{app.packages.required}")
        @Size(max = 50, message = "{app.packages.size}")
        List<@NotNull(message = "{error.list.nullItem}") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}@"
            + Codes.SEMVER_REGEX, message = "{app.packages.pattern}") String> packages,
        Boolean confirm) {

        boolean confirmed() {
            return Boolean.TRUE.equals(confirm);
        }
    }

    /** An environment's settings; its code is fixed (SaaS platforms integrate with it). */
    public record EditEnvironment(
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

    public record EditDeployConfig(
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

    public record EditStorageConfig(
        @NotBlank(message = "{app.configName.required}")
        @Pattern(regexp = Codes.NAME_REGEX, message = "{app.configName.pattern}") String name,
        @NotBlank(message = "{app.vendor.required}") @Size(max = 32, message = "{app.cloudVendor.size}") String vendor,
        @NotBlank(message = "{app.bucket.required}")
        @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,127}", message = "{app.bucket.pattern}") String bucket,
        @Size(max = 64, message = "{app.region.size}") String region,
        @NotBlank(message = "{app.domain.required}")
        @Pattern(regexp = Codes.URL_REGEX, message = "{app.domain.pattern}") @Size(max = 255) String baseUrl,
        @Size(max = 500, message = "{app.note.size}") String note) {
    }

    /** What can change of a registered package: where it is read from and its description (name@version is fixed). */
    public record EditPackage(
        @NotBlank(message = "{app.repositoryUrl.required}") @Size(max = 500, message = "{app.repositoryUrl.pattern}")
        @Pattern(regexp = REPOSITORY_REGEX, message = "{app.repositoryUrl.pattern}") String repositoryUrl,
        @Size(max = 500, message = "{app.description.size}") String description) {
    }

    /** A component's details as the designer shows them; {@code group} names a component group (empty: none). */
    public record EditComponent(
        @NotBlank(message = "{app.componentName.required}")
        @Pattern(regexp = Codes.NAME_REGEX, message = "{app.componentName.pattern}") String name,
        @Size(max = 100, message = "{app.componentTitle.size}") String title,
        @Size(max = 500, message = "{app.componentIcon.pattern}")
        @Pattern(regexp = ICON_REGEX, message = "{app.componentIcon.pattern}") String icon,
        @Size(max = 500, message = "{app.description.size}") String description,
        @Size(max = 64, message = "{app.groupName.pattern}") String group) {
    }

    public record GroupRequest(
        @NotBlank(message = "{app.groupName.required}")
        @Pattern(regexp = "[^<>\"'/\\\\]{1,64}", message = "{app.groupName.pattern}") String name,
        @Min(value = 0, message = "{app.groupOrder.range}") @Max(value = 9999, message = "{app.groupOrder.range}")
        Integer sortOrder) {
    }
}
