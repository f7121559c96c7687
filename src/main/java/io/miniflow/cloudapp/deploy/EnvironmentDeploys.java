package io.miniflow.cloudapp.deploy;

import static io.miniflow.cloudapp.deploy.DeployVariables.*;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.approval.ReviewCall;
import io.miniflow.cloudapp.CloudApp;
import io.miniflow.cloudapp.CloudAppService;
import io.miniflow.cloudapp.CloudEnvironment;
import io.miniflow.cloudapp.CloudResource;
import io.miniflow.cloudapp.DeployTargets;
import io.miniflow.cloudapp.EnvName;
import io.miniflow.cloudapp.EnvironmentStatus;
import io.miniflow.cloudapp.Plan;
import io.miniflow.cloudapp.pkg.DeployablePackages;
import io.miniflow.cloudapp.pkg.ReleasePackage;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.ProtectedVariables;

/**
 * Deploy orders of release packages to built environments (issue 15, seed 001 §2.4). A request is checked in full
 * (404 as elsewhere, 403 unless an editor of the workspace, 400 for a missing or unknown package version, 409 unless
 * the environment is READY with no other order active), then the order and environment-deploy start in one
 * transaction; audited. Members of the workspace follow the orders and the history.
 */
@Service
public class EnvironmentDeploys {

    private static final DateTimeFormatter NUMBER_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
        .withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CloudAppService apps;
    private final DeployTargets targets;
    private final DeployablePackages packages;
    private final DeployRepository deploys;
    private final RuntimeService runtime;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    EnvironmentDeploys(CloudAppService apps, DeployTargets targets, DeployablePackages packages,
                       DeployRepository deploys, RuntimeService runtime, AuditLog audit,
                       PlatformTransactionManager transactions, Clock clock) {
        this.apps = apps;
        this.targets = targets;
        this.packages = packages;
        this.deploys = deploys;
        this.runtime = runtime;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** The body of {@code POST .../deploys}. */
    @io.miniflow.shared.StrictJson
    public record DeployRequest(String packageVersion) {
    }

    /** What the API answers: the order, its process and where to follow it. */
    public record DeployStarted(String deployId, String processInstanceId, String statusUrl) {
    }

    public DeployStarted request(CurrentUser user, String name, String env, String packageVersion) {
        CloudApp app = apps.editable(user, name);
        CloudEnvironment environment = environment(app, env);
        InvalidFields invalid = new InvalidFields();
        ReleasePackage pkg = null;
        if (packageVersion == null || packageVersion.isBlank()) {
            invalid.add("packageVersion", "cloudapp.deploy.packageVersion.required");
        } else {
            pkg = packages.find(app.id(), packageVersion.trim()).orElse(null);
            if (pkg == null) {
                invalid.add("packageVersion", "cloudapp.deploy.packageVersion.unknown", packageVersion.trim(), name);
            }
        }
        invalid.throwIfAny();
        ReleasePackage chosen = pkg;
        try {
            return transaction.execute(tx -> start(user, app, targets.lock(environment.id()), chosen));
        } catch (DuplicateKeyException raced) {
            // Another request started an order on the environment between our look and our insert.
            throw running(environment);
        }
    }

    private DeployStarted start(CurrentUser user, CloudApp app, CloudEnvironment environment, ReleasePackage pkg) {
        if (environment.status() != EnvironmentStatus.READY) {
            throw MiniflowException.conflict("cloudapp.deploy.notReady", environment.env().code(),
                environment.status().name());
        }
        if (deploys.active(environment.id()).isPresent()) {
            throw running(environment);
        }
        Instant now = clock.instant();
        String deployNo = "MF" + NUMBER_TIME.format(now) + String.format("%06d", RANDOM.nextInt(1_000_000));
        String previous = previousVersion(environment);
        long id = deploys.insert(deployNo, environment.id(), pkg.id(), pkg.version(), previous, user.username(),
            PackageLinks.newToken(), now);
        packages.markDeployed(pkg);
        String env = environment.env().code();
        String processInstanceId = ProtectedVariables.asMiniflow(() -> runtime.createProcessInstanceByKey(PROCESS_KEY)
            .businessKey(app.name() + "/" + env + "/" + deployNo)
            .setVariables(Variables.createVariables().putValue(WORKSPACE.name(), app.workspace())
                .putValue(ENVIRONMENT_ID.name(), environment.id()).putValue(DEPLOY_ID.name(), id)
                .putValue(CLOUD_APP.name(), app.name()).putValue(ENV.name(), env)
                .putValue(PACKAGE_VERSION.name(), pkg.version()).putValue(REQUESTED_BY.name(), user.username())
                .putValue(ReviewCall.REQUIRED_APPROVALS.name(), environment.requiredApprovals())
                .putValue(ReviewCall.TITLE.name(), "Deploy " + app.name() + " " + pkg.version() + " to " + env))
            .execute().getId());
        deploys.setProcess(id, processInstanceId);
        audit.record(user.username(), "CLOUD_DEPLOY_REQUESTED", "cloud-deploy", app.name() + "/" + env + "/" + deployNo,
            app.workspace(), "package " + pkg.version() + (previous == null ? ", first deploy" : ", replaces " + previous)
                + (environment.requiredApprovals() > 0 ? ", " + environment.requiredApprovals() + " approval(s)" : ""));
        return new DeployStarted(deployNo, processInstanceId, statusUrl(app.name(), env, deployNo));
    }

    /**
     * What a failed deploy goes back to: what the environment's servers run now. Servers with nothing deployed (a
     * first deploy, or servers bought again after a release) have nothing to go back to.
     */
    private String previousVersion(CloudEnvironment environment) {
        List<String> installed = targets.servers(environment.id()).stream().map(CloudResource::appVersion)
            .filter(Objects::nonNull).toList();
        if (installed.isEmpty()) {
            return null;
        }
        return deploys.runningVersion(environment.id()).filter(installed::contains).orElse(installed.get(0));
    }

    /** An order with its servers and logs, for the members of the workspace. */
    public DeployView view(CurrentUser user, String name, String env, String deployNo) {
        CloudApp app = apps.visible(user, name);
        CloudEnvironment environment = environment(app, env);
        Deploy deploy = deploys.findByNo(deployNo == null ? "" : deployNo)
            .filter(d -> d.environmentId() == environment.id())
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.deploy.notFound", deployNo, name, env));
        return DeployView.of(deploy, servers(environment), deploys.servers(deploy.id()));
    }

    /** The environment's orders, newest first. */
    public PageResult<DeploySummary> history(CurrentUser user, String name, String env, PageRequest page) {
        CloudApp app = apps.visible(user, name);
        CloudEnvironment environment = environment(app, env);
        List<DeploySummary> items = deploys.history(environment.id(), page.size(), page.offset()).stream()
            .map(DeploySummary::of).toList();
        return new PageResult<>(items, page, deploys.count(environment.id()));
    }

    /** The order running on the environment now, if any (the environment page links it). */
    public Optional<DeploySummary> active(CurrentUser user, String name, String env) {
        CloudApp app = apps.visible(user, name);
        return deploys.active(environment(app, env).id()).map(DeploySummary::of);
    }

    /**
     * The deploy section of the console's environment tab: the version running, the active order, a page of the
     * history, and whether the user may order a deploy now (an editor, the environment READY, nothing running).
     */
    public DeployTab tab(CurrentUser user, String name, String env, PageRequest page) {
        CloudApp app = apps.visible(user, name);
        CloudEnvironment environment = environment(app, env);
        List<DeploySummary> items = deploys.history(environment.id(), page.size(), page.offset()).stream()
            .map(DeploySummary::of).toList();
        DeploySummary active = deploys.active(environment.id()).map(DeploySummary::of).orElse(null);
        boolean ready = environment.status() == EnvironmentStatus.READY;
        return new DeployTab(app.name(), environment.env().code(), environment.plan(),
            environment.requiredApprovals(), ready, ready && apps.mayEdit(user, app),
            deploys.runningVersion(environment.id()).orElse(null), active,
            new PageResult<>(items, page, deploys.count(environment.id())));
    }

    /** An order to deploy again, for its app's editors (404 and 403 as elsewhere), with the version running now. */
    public Redeploy redeploy(CurrentUser user, String name, String env, String deployNo) {
        CloudApp app = apps.editable(user, name);
        CloudEnvironment environment = environment(app, env);
        Deploy deploy = deploys.findByNo(deployNo == null ? "" : deployNo)
            .filter(d -> d.environmentId() == environment.id())
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.deploy.notFound", deployNo, name, env));
        return new Redeploy(app.name(), environment.env().code(), environment.plan(),
            environment.requiredApprovals(), DeploySummary.of(deploy),
            deploys.runningVersion(environment.id()).orElse(null),
            deploys.active(environment.id()).map(Deploy::deployNo).orElse(null));
    }

    /** What the console asks before an ended order's package replaces the version running. */
    public record Redeploy(String app, String env, Plan plan, int requiredApprovals,
                           DeploySummary order, String runningVersion, String activeDeployId) {

        public boolean possible() {
            return !order.status().active() && activeDeployId == null && !order.version().equals(runningVersion);
        }
    }

    static String statusUrl(String app, String env, String deployNo) {
        return "/api/cloud-apps/" + app + "/environments/" + env + "/deploys/" + deployNo;
    }

    private List<DeployView.Server> servers(CloudEnvironment environment) {
        return targets.servers(environment.id()).stream()
            .map((CloudResource r) -> new DeployView.Server(r.resourceId(), r.weight(), r.appVersion())).toList();
    }

    private CloudEnvironment environment(CloudApp app, String env) {
        return EnvName.fromCode(env).flatMap(e -> targets.environment(app.id(), e))
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.environment.notFound", env, app.name()));
    }

    private MiniflowException running(CloudEnvironment environment) {
        String running = deploys.active(environment.id()).map(Deploy::deployNo).orElse("?");
        return MiniflowException.conflict("cloudapp.deploy.running", environment.env().code(), running);
    }
}
