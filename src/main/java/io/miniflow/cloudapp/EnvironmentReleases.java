package io.miniflow.cloudapp;

import java.time.Clock;
import java.time.Instant;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

/**
 * The release of a built environment (issue 15, seed 001 §4.3): asked with the environment's name typed as a
 * confirmation, checked (editors only, READY or BUILD_FAILED, no build or deploy running on it), then the environment
 * is RELEASING and environment-release deletes its resources through a {@link ReleaseStarter} — after the approvals
 * the environment asks for (prod: one, by default); a release not approved returns the environment as it was.
 */
@Service
public class EnvironmentReleases {

    private final CloudAppRepository repository;
    private final CloudAppService apps;
    private final ObjectProvider<ReleaseStarter> starters;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    EnvironmentReleases(CloudAppRepository repository, CloudAppService apps, ObjectProvider<ReleaseStarter> starters,
                        AuditLog audit, PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.apps = apps;
        this.starters = starters;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** What the API answers: the process and where to follow the environment's status. */
    public record ReleaseStarted(String processInstanceId, String statusUrl) {
    }

    /**
     * Checks the request (404 as elsewhere, 403 unless admin or developer of the workspace, 400 when {@code confirm}
     * is not the environment's name, 409 when the environment holds nothing to release or something runs on it), then
     * moves the environment to RELEASING and starts environment-release in one transaction; audited.
     */
    public ReleaseStarted startRelease(CurrentUser user, String name, String env, String confirm) {
        // Visibility as for every other look at an app (404), then the editor check (403).
        apps.app(user, name);
        CloudApp app = repository.findApp(name).orElseThrow();
        if (!apps.canEdit(user, app.workspace())) {
            throw MiniflowException.forbidden("cloudapp.editorsOnly", app.workspace());
        }
        CloudEnvironment environment = EnvName.fromCode(env).flatMap(e -> repository.findEnvironment(app.id(), e))
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.environment.notFound", env, name));
        InvalidFields invalid = new InvalidFields();
        if (confirm == null || !confirm.trim().equals(environment.env().code())) {
            invalid.add("confirm", "cloudapp.release.confirm", environment.env().code());
        }
        invalid.throwIfAny();
        EnvironmentStatus status = environment.status();
        if (status != EnvironmentStatus.READY && status != EnvironmentStatus.BUILD_FAILED) {
            throw MiniflowException.conflict("cloudapp.release.notReleasable", env, status.name());
        }
        repository.buildsOf(environment.id()).stream().filter(b -> b.status() == BuildStatus.RUNNING).findFirst()
            .ifPresent(b -> {
                throw MiniflowException.conflict("cloudapp.release.buildRunning", env, b.id());
            });
        repository.activeDeploy(environment.id()).ifPresent(deployNo -> {
            throw MiniflowException.conflict("cloudapp.release.deployRunning", env, deployNo);
        });
        if (environment.buildId() == null) {
            throw MiniflowException.conflict("cloudapp.release.notReleasable", env, status.name());
        }
        ReleaseStarter starter = starters.getIfAvailable();
        if (starter == null) {
            throw new MiniflowException(HttpStatus.SERVICE_UNAVAILABLE, "cloudapp.release.unavailable");
        }
        return transaction.execute(tx -> {
            Instant now = clock.instant();
            if (!repository.moveStatus(environment.id(), status, EnvironmentStatus.RELEASING, now)) {
                throw MiniflowException.conflict("cloudapp.release.notReleasable", env,
                    repository.findEnvironmentById(environment.id()).orElseThrow().status().name());
            }
            // The row is locked now: a deploy ordered since the look above is seen here (a deploy locks it too).
            repository.activeDeploy(environment.id()).ifPresent(deployNo -> {
                throw MiniflowException.conflict("cloudapp.release.deployRunning", env, deployNo);
            });
            String processInstanceId = starter.start(environment.id(), environment.buildId(), user.username(),
                environment.requiredApprovals(), status);
            audit.record(user.username(), "CLOUD_ENV_RELEASE_REQUESTED", "cloud-env", name + "/" + env,
                app.workspace(), "process " + processInstanceId + (environment.requiredApprovals() > 0
                    ? ", " + environment.requiredApprovals() + " approval(s)" : ""));
            return new ReleaseStarted(processInstanceId, "/api/cloud-apps/" + name + "/environments/" + env);
        });
    }

    /** The body of {@code POST .../release}: the environment's name, typed by the user. */
    public record ReleaseRequest(String confirm) {
    }
}
