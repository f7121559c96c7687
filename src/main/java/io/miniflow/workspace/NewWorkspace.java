package io.miniflow.workspace;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** What the platform team fills in to open a workspace. */
public record NewWorkspace(
    @NotBlank(message = "{workspace.name.required}")
    @Pattern(regexp = "[A-Za-z0-9]{2,32}", message = "{workspace.name.invalid}")
    String name,
    @NotBlank(message = "{workspace.scope.required}") @Size(max = 64, message = "{field.tooLong}")
    String businessScope,
    @NotBlank(message = "{workspace.address.required}") @Size(max = 255, message = "{field.tooLong}")
    String address,
    @NotBlank(message = "{workspace.representative.required}") @Size(max = 100, message = "{field.tooLong}")
    String representativeName,
    @NotBlank(message = "{workspace.email.required}") @Email(message = "{workspace.email.invalid}")
    @Size(max = 255, message = "{field.tooLong}")
    String representativeEmail) {
}
