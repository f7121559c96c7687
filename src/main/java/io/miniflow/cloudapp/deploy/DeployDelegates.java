package io.miniflow.cloudapp.deploy;

import static io.miniflow.cloudapp.deploy.DeployVariables.*;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.miniflow.approval.ReviewCall;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.CloudApp;
import io.miniflow.cloudapp.CloudEnvironment;
import io.miniflow.cloudapp.CloudResource;
import io.miniflow.cloudapp.DeployTargets;
import io.miniflow.cloudapp.EnvName;
import io.miniflow.cloudapp.Plan;
import io.miniflow.cloudapp.build.ServerScripts;
import io.miniflow.cloudapp.pkg.DeployablePackages;
import io.miniflow.cloudapp.pkg.ReleasePackage;
import io.miniflow.shared.IdempotencyKey;

/**
 * The steps of environment-deploy, one bean each under the name the model uses. The plan (which server gets which
 * version, in which order) and each server's progress are rows of mf_cloud_deploy_server: every step finds "the
 * current server" there, so a retried job picks up where the first try stopped, and each platform call carries an
 * idempotency key made of the order number, the phase, the server (and the health check's count).
 */
@Configuration(proxyBeanMethods = false)
class DeployDelegates {

    static final int FULL_WEIGHT = 100;

    private final DeployRepository deploys;
    private final DeployTargets targets;
    private final DeployablePackages packages;
    private final ComputePort compute;
    private final LoadBalancerPort loadBalancers;
    private final PackageLinks links;
    private final DeploySettings settings;
    private final Clock clock;

    DeployDelegates(DeployRepository deploys, DeployTargets targets, DeployablePackages packages, ComputePort compute,
                    LoadBalancerPort loadBalancers, PackageLinks links, DeploySettings settings, Clock clock) {
        this.deploys = deploys;
        this.targets = targets;
        this.packages = packages;
        this.compute = compute;
        this.loadBalancers = loadBalancers;
        this.links = links;
        this.settings = settings;
        this.clock = clock;
    }

    /** Task_PlanDeploy: the order RUNNING; every server of the environment gets the version, in the order bought. */
    @Bean
    JavaDelegate planDeploy() {
        return execution -> {
            Deploy deploy = deploy(execution);
            recordApproval(execution, deploy);
            deploys.start(deploy.id(), clock.instant());
            List<CloudResource> servers = targets.servers(deploy.environmentId());
            if (servers.isEmpty()) {
                throw new IllegalStateException("environment " + deploy.environmentId() + " has no server to deploy to");
            }
            for (int i = 0; i < servers.size(); i++) {
                deploys.plan(deploy.id(), Phase.DEPLOY, i, servers.get(i).resourceId(), deploy.version());
            }
            LOAD_BALANCED.set(execution, targets.loadBalancerId(deploy.environmentId()).isPresent());
            ROLLING_BACK.set(execution, false);
        };
    }

    /** Task_DrainServer: weight 0 for the current server, so the load balancer sends it no new requests. */
    @Bean
    JavaDelegate drainServer() {
        return execution -> {
            Deploy deploy = deploy(execution);
            DeployServer server = current(execution, deploy);
            deploys.drained(server.id(), weigh(deploy, server, 0), clock.instant());
        };
    }

    /** Task_Install: Cloud Assistant fetches the package from Miniflow, checks it, replaces the app and starts it. */
    @Bean
    JavaDelegate installPackage() {
        return execution -> {
            Deploy deploy = deploy(execution);
            DeployServer server = current(execution, deploy);
            CloudEnvironment environment = targets.environment(deploy.environmentId());
            CloudApp app = targets.app(environment.appId()).orElseThrow();
            ReleasePackage pkg = packages.find(app.id(), server.version()).orElseThrow();
            String nginx = environment.env() == EnvName.PROD ? pkg.nginxProd() : pkg.nginxTest();
            // A starter's server ends TLS itself: the environment's current certificate goes with each deploy (a
            // replaced certificate takes effect here). A standard environment's load balancer holds it.
            String certificate = environment.plan() == Plan.STARTER ? targets.certificate(environment)
                .map(c -> ServerScripts.installCertificate(c.domain(), c.certificatePem(), c.privateKeyPem(),
                    app.runtime().port()))
                .orElse(null) : null;
            String script = DeployScripts.install(new DeployScripts.Install(pkg.version(), pkg.sha256(),
                links.download(deploy, pkg.version()), app.runtime(), nginx, certificate));
            String invocation = compute.runCommand(List.of(server.instanceId()), script,
                key(deploy, server, "install"));
            deploys.installing(server.id(), invocation);
        };
    }

    /** Task_CheckInstall: the command's result; its output split into the three logs, kept with the order. */
    @Bean
    JavaDelegate checkInstall() {
        return execution -> {
            Deploy deploy = deploy(execution);
            DeployServer server = current(execution, deploy);
            ComputePort.CommandResult result = result(server.invocationId(), server.instanceId());
            if (result == null || result.status() == ComputePort.CommandStatus.RUNNING) {
                INSTALL.set(execution, "RUNNING");
                return;
            }
            DeployRepository.Logs logs = DeployScripts.logs(result.output());
            Instant now = clock.instant();
            if (result.status() == ComputePort.CommandStatus.SUCCESS) {
                deploys.installed(server.id(), logs, now.plus(settings.healthTimeoutDuration()));
                targets.appVersion(deploy.environmentId(), server.instanceId(), server.version());
                INSTALL.set(execution, "DONE");
            } else {
                deploys.failed(server.id(), "the install of " + server.version() + " on " + server.instanceId()
                    + " exited with code " + result.exitCode() + lastLine(logs.stderr(), logs.xdeploy()), logs, now);
                INSTALL.set(execution, "FAILED");
            }
        };
    }

    /**
     * Task_CheckHealth: asks the app on the server (Cloud Assistant runs the check there, so no server needs a public
     * address). A check still running waits; a failed one is asked again until one started after the deadline has
     * failed too: UNHEALTHY.
     */
    @Bean
    JavaDelegate checkHealth() {
        return execution -> {
            Deploy deploy = deploy(execution);
            DeployServer server = current(execution, deploy);
            if (server.healthInvocationId() != null) {
                ComputePort.CommandResult result = result(server.healthInvocationId(), server.instanceId());
                if (result == null || result.status() == ComputePort.CommandStatus.RUNNING) {
                    HEALTH.set(execution, "WAIT");
                    return;
                }
                if (result.status() == ComputePort.CommandStatus.SUCCESS) {
                    HEALTH.set(execution, "HEALTHY");
                    return;
                }
                // A check that started after the deadline and failed is the last one. The one before it may have
                // been late itself (a timer fires when the job executor gets to it): the deadline counts when a
                // check starts, not when its result is read.
                if (!server.healthCheckedAt().isBefore(server.healthDeadline())) {
                    deploys.failed(server.id(), server.version() + " on " + server.instanceId()
                        + " did not answer its health check within " + settings.healthTimeout() + " ("
                        + server.healthChecks() + " checks; last: " + firstLine(result.output()) + ")", null,
                        clock.instant());
                    HEALTH.set(execution, "UNHEALTHY");
                    return;
                }
            }
            CloudEnvironment environment = targets.environment(deploy.environmentId());
            CloudApp app = targets.app(environment.appId()).orElseThrow();
            int checks = server.healthChecks() + 1;
            String invocation = compute.runCommand(List.of(server.instanceId()),
                DeployScripts.health(app.runtime(), settings.healthPath()), key(deploy, server, "health-" + checks));
            deploys.healthChecking(server.id(), invocation, checks, clock.instant());
            HEALTH.set(execution, "WAIT");
        };
    }

    /** Task_RestoreWeight: weight 100 again; the server is done; is another one waiting in this phase? */
    @Bean
    JavaDelegate restoreWeight() {
        return execution -> {
            Deploy deploy = deploy(execution);
            DeployServer server = current(execution, deploy);
            deploys.done(server.id(), weigh(deploy, server, FULL_WEIGHT), server.version() + " healthy",
                clock.instant());
            MORE_SERVERS.set(execution, deploys.servers(deploy.id(), phase(execution)).stream()
                .anyMatch(s -> s.status() == ServerStatus.PENDING));
        };
    }

    /** Task_ServerFailed: the failure is on record; a deploy with a previous version goes back to it, else fails. */
    @Bean
    JavaDelegate recordServerFailure() {
        return execution -> {
            Deploy deploy = deploy(execution);
            boolean canGoBack = phase(execution) == Phase.DEPLOY && deploy.previousVersion() != null;
            AFTER_FAILURE.set(execution, canGoBack ? "ROLL_BACK" : "FAIL");
        };
    }

    /** Task_PlanRollback: every server the deploy touched (switched, or the one that failed) gets the previous one. */
    @Bean
    JavaDelegate planRollback() {
        return execution -> {
            Deploy deploy = deploy(execution);
            List<DeployServer> touched = deploys.servers(deploy.id(), Phase.DEPLOY).stream()
                .filter(s -> s.status() != ServerStatus.PENDING).toList();
            for (DeployServer server : touched) {
                deploys.plan(deploy.id(), Phase.ROLLBACK, server.position(), server.instanceId(),
                    deploy.previousVersion());
            }
            ROLLING_BACK.set(execution, true);
        };
    }

    /** Task_MarkSucceeded: SUCCEEDED; the version runs in the environment now. */
    @Bean
    JavaDelegate markDeploySucceeded(DeployEvents events) {
        return execution -> {
            Deploy deploy = deploy(execution);
            if (deploys.end(deploy.id(), DeployStatus.SUCCEEDED, null, clock.instant())) {
                events.ended(execution, deploy.id(), io.miniflow.notify.EventType.ENVIRONMENT_DEPLOYED);
                runsNow(deploy, deploy.version());
            }
        };
    }

    /** Task_MarkRolledBack: ROLLED_BACK with the failure that caused it; the previous version runs again. */
    @Bean
    JavaDelegate markDeployRolledBack(DeployEvents events) {
        return execution -> {
            Deploy deploy = deploy(execution);
            String reason = failure(deploy).map(DeployServer::message).orElse("a server failed")
                + "; rolled back to " + deploy.previousVersion();
            if (deploys.end(deploy.id(), DeployStatus.ROLLED_BACK, reason, clock.instant())) {
                events.ended(execution, deploy.id(), io.miniflow.notify.EventType.ENVIRONMENT_ROLLED_BACK);
                runsNow(deploy, deploy.previousVersion());
            }
        };
    }

    /**
     * Task_MarkFailed: FAILED. A first deploy has no version to go back to: the failed server stays out of the load
     * balancer (weight 0) and the reason says so; a failed rollback leaves its server out the same way.
     */
    @Bean
    JavaDelegate markDeployFailed(DeployEvents events) {
        return execution -> {
            Deploy deploy = deploy(execution);
            Optional<DeployServer> failed = failure(deploy);
            String where = failed.map(DeployServer::instanceId).orElse("the server");
            String left = LOAD_BALANCED.from(execution)
                ? "; " + where + " is left out of the load balancer (weight 0)" : "; " + where + " serves no app";
            String reason = failed.map(DeployServer::message).orElse("a server failed")
                + (deploy.previousVersion() == null ? "; first deploy: no previous version to go back to"
                    : "; the rollback to " + deploy.previousVersion() + " failed")
                + left;
            if (deploys.end(deploy.id(), DeployStatus.FAILED, reason, clock.instant())) {
                events.ended(execution, deploy.id(), io.miniflow.notify.EventType.ENVIRONMENT_DEPLOY_FAILED);
                runsNow(deploy, null);
            }
        };
    }

    /** Task_MarkRejected: REJECTED with the reviewers' reason; nothing was touched. */
    @Bean
    JavaDelegate markDeployRejected() {
        return execution -> {
            Deploy deploy = deploy(execution);
            recordApproval(execution, deploy);
            String reason = ReviewCall.REASON.optional(execution).filter(r -> !r.isBlank()).map(r -> ": " + r).orElse("");
            deploys.end(deploy.id(), DeployStatus.REJECTED, "not approved" + reason, clock.instant());
        };
    }

    /** The server's weight on the environment's load balancer; null when there is none (a starter). */
    private Integer weigh(Deploy deploy, DeployServer server, int weight) {
        Optional<String> loadBalancer = targets.loadBalancerId(deploy.environmentId());
        if (loadBalancer.isEmpty()) {
            return null;
        }
        loadBalancers.setBackendWeights(loadBalancer.get(),
            List.of(new LoadBalancerPort.Backend(server.instanceId(), weight)));
        targets.weight(deploy.environmentId(), server.instanceId(), weight);
        return weight;
    }

    private Deploy deploy(DelegateExecution execution) {
        return deploys.find(DEPLOY_ID.from(execution)).orElseThrow();
    }

    private static Phase phase(DelegateExecution execution) {
        return Boolean.TRUE.equals(ROLLING_BACK.from(execution)) ? Phase.ROLLBACK : Phase.DEPLOY;
    }

    /** The first server of the phase not yet done or failed. */
    private DeployServer current(DelegateExecution execution, Deploy deploy) {
        return deploys.servers(deploy.id(), phase(execution)).stream()
            .filter(s -> s.status() != ServerStatus.DONE && s.status() != ServerStatus.FAILED).findFirst()
            .orElseThrow(() -> new IllegalStateException("deploy " + deploy.deployNo() + ": no server left in "
                + phase(execution)));
    }

    /** The latest failure (of the rollback when there was one). */
    private Optional<DeployServer> failure(Deploy deploy) {
        return deploys.servers(deploy.id()).stream().filter(s -> s.status() == ServerStatus.FAILED)
            .max(Comparator.comparing(DeployServer::phase).thenComparing(DeployServer::position));
    }

    private void runsNow(Deploy deploy, String version) {
        CloudEnvironment environment = targets.environment(deploy.environmentId());
        packages.runsIn(environment.appId(), environment.env(), version);
    }

    private void recordApproval(DelegateExecution execution, Deploy deploy) {
        ReviewCall.APPROVAL_ID.optional(execution).filter(id -> deploy.approvalId() == null)
            .ifPresent(id -> deploys.setApproval(deploy.id(), id));
    }

    private ComputePort.CommandResult result(String invocationId, String instanceId) {
        return compute.commandResults(invocationId).stream().filter(r -> r.instanceId().equals(instanceId))
            .findFirst().orElse(null);
    }

    private static IdempotencyKey key(Deploy deploy, DeployServer server, String step) {
        return IdempotencyKey.of("environment-deploy-" + deploy.deployNo(),
            server.phase().name().toLowerCase() + "-" + server.instanceId() + "-" + step);
    }

    private static String firstLine(String output) {
        if (output == null || output.isBlank()) {
            return "no output";
        }
        String trimmed = output.strip();
        int end = trimmed.indexOf('\n');
        return end < 0 ? trimmed : trimmed.substring(0, end);
    }

    private static String lastLine(String stderr, String xdeploy) {
        String text = stderr != null && !stderr.isBlank() ? stderr : xdeploy;
        if (text == null || text.isBlank()) {
            return "";
        }
        String trimmed = text.strip();
        return ": " + trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }
}
