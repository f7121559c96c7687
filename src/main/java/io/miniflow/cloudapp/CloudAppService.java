package io.miniflow.cloudapp;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.cloudapp.CloudAppRequests.BuildRequest;
import io.miniflow.cloudapp.CloudAppRequests.NewCloudApp;
import io.miniflow.cloudapp.CloudAppViews.AppCard;
import io.miniflow.cloudapp.CloudAppViews.AppDetail;
import io.miniflow.cloudapp.CloudAppViews.AppPage;
import io.miniflow.cloudapp.CloudAppViews.BuildHistory;
import io.miniflow.cloudapp.CloudAppViews.BuildStarted;
import io.miniflow.cloudapp.CloudAppViews.CertificateView;
import io.miniflow.cloudapp.CloudAppViews.DatabaseView;
import io.miniflow.cloudapp.CloudAppViews.EnvSummary;
import io.miniflow.cloudapp.CloudAppViews.EnvironmentPage;
import io.miniflow.cloudapp.CloudAppViews.EnvironmentView;
import io.miniflow.cloudapp.CloudAppViews.Instance;
import io.miniflow.cloudapp.CloudAppViews.LoadBalancer;
import io.miniflow.cloudapp.CloudAppViews.OrderView;
import io.miniflow.cloudapp.CloudAppViews.Resources;
import io.miniflow.identity.CurrentUser;
import io.miniflow.identity.Roles;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.workspace.WorkspaceAccess;

/**
 * Cloud apps and their environments for the API and the console: create, list, show, delete, and the build request
 * that checks everything (fields, state, certificate) before the environment-build process is started through a
 * {@link BuildStarter}. Members see their workspaces' apps (others' are 404); admins and developers change them;
 * database passwords are for workspace admins.
 */
@Service
public class CloudAppService {

    /** A lowercase letter first, then lowercase letters and digits, at most 50 (it becomes part of a domain). */
    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,49}");
    /** A host name of labels (letters, digits, inner hyphens), at least two, as certificates name them. */
    static final Pattern DOMAIN = Pattern.compile(
        "(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");
    static final Set<String> EDITOR_ROLES = Set.of(Roles.WORKSPACE_ADMIN, Roles.WORKSPACE_DEVELOPER);
    static final int MAX_PEM = 20_000;

    private final CloudAppRepository repository;
    private final WorkspaceAccess access;
    private final CloudPlans plans;
    private final ObjectProvider<BuildStarter> starters;
    private final ObjectProvider<BuildProcesses> processes;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    CloudAppService(CloudAppRepository repository, WorkspaceAccess access, CloudPlans plans,
                    ObjectProvider<BuildStarter> starters, ObjectProvider<BuildProcesses> processes, AuditLog audit,
                    PlatformTransactionManager transactions, Clock clock) {
        this.repository = repository;
        this.access = access;
        this.plans = plans;
        this.starters = starters;
        this.processes = processes;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    // --- apps

    /** Creates the app with its NOT_BUILT test and prod environments. */
    public AppDetail create(CurrentUser user, NewCloudApp request) {
        InvalidFields invalid = new InvalidFields();
        if (blank(request.workspace())) {
            invalid.add("workspace", "cloudapp.field.required");
        }
        if (blank(request.name())) {
            invalid.add("name", "cloudapp.field.required");
        } else if (!NAME.matcher(request.name()).matches()) {
            invalid.add("name", "cloudapp.name.pattern");
        }
        Runtime runtime = null;
        if (blank(request.runtime())) {
            invalid.add("runtime", "cloudapp.field.required");
        } else {
            runtime = Arrays.stream(Runtime.values()).filter(r -> r.name().equals(request.runtime())).findFirst()
                .orElse(null);
            if (runtime == null) {
                invalid.add("runtime", "cloudapp.runtime.unknown", request.runtime());
            }
        }
        if (request.description() != null && request.description().length() > 500) {
            invalid.add("description", "cloudapp.field.size", 500);
        }
        invalid.throwIfAny();
        requireEditor(user, request.workspace());
        Runtime chosen = runtime;
        if (repository.findApp(request.name()).isPresent()) {
            throw MiniflowException.conflict("cloudapp.exists", request.name());
        }
        try {
            transaction.executeWithoutResult(tx -> {
                Instant now = clock.instant();
                long id = repository.insertApp(request.workspace(), request.name(), trimToNull(request.description()),
                    chosen, user.username(), now);
                for (EnvName env : EnvName.values()) {
                    repository.insertEnvironment(id, env, now);
                }
                audit.record(user.username(), "CLOUD_APP_CREATED", "cloud-app", request.name(), request.workspace(),
                    chosen.name());
            });
        } catch (DuplicateKeyException raced) {
            throw MiniflowException.conflict("cloudapp.exists", request.name());
        }
        return app(user, request.name());
    }

    public AppPage search(CurrentUser user, String text, PageRequest page) {
        PageResult<CloudApp> result = repository.search(access.visibleWorkspaces(user), text, page);
        return new AppPage(result.items().stream().map(this::card).toList(), result.page(), page.size(),
            result.total(), result.totalPages());
    }

    public AppDetail app(CurrentUser user, String name) {
        return detail(user, visibleApp(user, name));
    }

    /** Deletes the app while both environments hold nothing (NOT_BUILT or RELEASED); 409 names the one that does. */
    public void delete(CurrentUser user, String name) {
        CloudApp app = visibleApp(user, name);
        requireEditor(user, app.workspace());
        transaction.executeWithoutResult(tx -> {
            for (CloudEnvironment env : repository.lockEnvironments(app.id())) {
                if (!env.status().holdsNothing()) {
                    throw MiniflowException.conflict("cloudapp.delete.environmentInUse", name, env.env().code(),
                        env.status().name());
                }
            }
            repository.deleteApp(app.id());
            audit.record(user.username(), "CLOUD_APP_DELETED", "cloud-app", name, app.workspace(), null);
        });
    }

    // --- environments

    public EnvironmentView environment(CurrentUser user, String name, String env) {
        CloudApp app = visibleApp(user, name);
        return view(app, requireEnvironment(app, env));
    }

    /** The environment tab of the console: the view, its orders, and every build with its steps. */
    public EnvironmentPage environmentPage(CurrentUser user, String name, String env) {
        CloudApp app = visibleApp(user, name);
        CloudEnvironment environment = requireEnvironment(app, env);
        List<BuildHistory> builds = repository.buildsOf(environment.id()).stream()
            .map(b -> new BuildHistory(b, repository.stepsOf(b.id()))).toList();
        return new EnvironmentPage(detail(user, app), view(app, environment), repository.ordersOf(environment.id()),
            builds, repository.resourcesOf(environment.id()), mayGiveUp(user, app.workspace()));
    }

    /**
     * A new certificate for a built prod environment's domain (seed 001 §3.3): checked like the build's (parses, the
     * key matches, valid now, covers the domain), kept, and served from the next deploy on; the build's stays on the
     * load balancer or server until then.
     */
    public CertificateView replaceCertificate(CurrentUser user, String name, String env,
                                              CloudAppRequests.CertificateRequest request) {
        CloudApp app = visibleApp(user, name);
        CloudEnvironment environment = requireEnvironment(app, env);
        requireEditor(user, app.workspace());
        if (environment.env() != EnvName.PROD || environment.domain() == null
            || environment.status() == EnvironmentStatus.NOT_BUILT || environment.status() == EnvironmentStatus.RELEASED) {
            throw MiniflowException.conflict("cloudapp.certificate.notReplaceable", env,
                environment.status().name());
        }
        InvalidFields invalid = new InvalidFields();
        CertificateCheck.Checked checked = null;
        if (length(request.certificatePem()) > MAX_PEM) {
            invalid.add("certificatePem", "cloudapp.field.size", MAX_PEM);
        } else if (length(request.privateKeyPem()) > MAX_PEM / 2) {
            invalid.add("privateKeyPem", "cloudapp.field.size", MAX_PEM / 2);
        } else {
            checked = CertificateCheck.check(request.certificatePem(), request.privateKeyPem(), environment.domain(),
                clock.instant(), invalid);
        }
        invalid.throwIfAny();
        CertificateCheck.Checked valid = checked;
        return transaction.execute(tx -> {
            Instant now = clock.instant();
            long id = repository.insertCertificate(environment.id(), environment.domain(), request.certificatePem(),
                request.privateKeyPem(), valid, user.username(), now);
            repository.setCertificate(environment.id(), id, now);
            audit.record(user.username(), "CLOUD_CERTIFICATE_REPLACED", "cloud-env", name + "/" + env,
                app.workspace(), valid.subject());
            return new CertificateView(environment.domain(), valid.subject(), valid.notBefore(), valid.notAfter(),
                valid.fingerprint());
        });
    }

    /** The database password, for the workspace's admins only (403 for everyone else who sees the app). */
    public Optional<String> databasePassword(CurrentUser user, String name, String env) {
        CloudApp app = visibleApp(user, name);
        access.requireAdmin(user, app.workspace());
        CloudEnvironment environment = requireEnvironment(app, env);
        audit.record(user.username(), "CLOUD_DATABASE_PASSWORD_READ", "cloud-env", name + "/" + env,
            app.workspace(), null);
        return repository.databasePassword(environment.id());
    }

    public Optional<BuildHistory> build(CurrentUser user, String name, String env, long buildId) {
        CloudApp app = visibleApp(user, name);
        CloudEnvironment environment = requireEnvironment(app, env);
        return repository.findBuild(buildId).filter(b -> b.environmentId() == environment.id())
            .map(b -> new BuildHistory(b, repository.stepsOf(b.id())));
    }

    // --- builds

    /**
     * Checks the request whole, then (only if a {@link BuildStarter} exists, else 503) records the build and starts
     * environment-build in one transaction.
     */
    public BuildStarted startBuild(CurrentUser user, String name, String env, BuildRequest request) {
        return startBuild(user, name, env, request, starters.getIfAvailable());
    }

    BuildStarted startBuild(CurrentUser user, String name, String env, BuildRequest request, BuildStarter starter) {
        Checked checked = check(user, name, env, request);
        if (starter == null) {
            throw new MiniflowException(HttpStatus.SERVICE_UNAVAILABLE, "cloudapp.build.unavailable");
        }
        return transaction.execute(tx -> {
            BuildTicket ticket = record(user, checked, request);
            String processInstanceId = starter.start(ticket.buildId());
            repository.setBuildProcess(ticket.buildId(), processInstanceId);
            return new BuildStarted(processInstanceId, statusUrl(name, env, ticket.buildId()), ticket.outTradeNo(),
                ticket.buildId(), ticket.amountFen());
        });
    }

    /**
     * Checks a build request whole (every refused field at once, 400; environment not NOT_BUILT, 409) and records the
     * certificate, the build and its UNPAID order in one transaction; the environment is BUILDING from then on.
     * Nothing is started here: see {@link #startBuild}.
     */
    public BuildTicket requestBuild(CurrentUser user, String name, String env, String plan, Integer months,
                                    String domain, String certificatePem, String privateKeyPem) {
        BuildRequest request = new BuildRequest(plan, months, domain, certificatePem, privateKeyPem);
        Checked checked = check(user, name, env, request);
        return transaction.execute(tx -> record(user, checked, request));
    }

    // --- giving up

    /**
     * A build an operator may give up, with what holds it: 404 as elsewhere, 403 unless operator or workspace admin.
     * {@code running} is false once its process has ended (nothing left to give up).
     */
    public GiveUpCheck giveUpCheck(CurrentUser user, String name, String env, long buildId) {
        GivingUp g = givingUp(user, name, env, buildId);
        BuildProcesses p = processes.getIfAvailable();
        boolean running = p != null && g.build().processInstanceId() != null && p.running(g.build().processInstanceId());
        return new GiveUpCheck(new BuildHistory(g.build(), repository.stepsOf(buildId)), running,
            running ? p.incidents(g.build().processInstanceId()) : List.of());
    }

    /**
     * Gives the build up (issue 14): its process releases what was bought and refunds the order, and the environment
     * ends BUILD_FAILED. Only while the process runs and has not been given up yet (409 otherwise); audited.
     *
     * @return the build's status URL
     */
    public String giveUp(CurrentUser user, String name, String env, long buildId) {
        GivingUp g = givingUp(user, name, env, buildId);
        BuildProcesses p = processes.getIfAvailable();
        String pid = g.build().processInstanceId();
        if (p == null || pid == null || !p.running(pid)) {
            throw MiniflowException.conflict("cloudapp.giveUp.notRunning", buildId, g.build().status().name());
        }
        if (!p.giveUp(pid)) {
            throw MiniflowException.conflict("cloudapp.giveUp.already", buildId);
        }
        audit.record(user.username(), "CLOUD_BUILD_GIVEN_UP", "cloud-env", name + "/" + env, g.app().workspace(),
            "build " + buildId + " process " + pid);
        return statusUrl(name, env, buildId);
    }

    /** What an operator sees before giving a build up. */
    public record GiveUpCheck(BuildHistory build, boolean running, List<BuildProcesses.BuildIncident> incidents) {
    }

    private record GivingUp(CloudApp app, Build build) {
    }

    private GivingUp givingUp(CurrentUser user, String name, String env, long buildId) {
        CloudApp app = visibleApp(user, name);
        CloudEnvironment environment = requireEnvironment(app, env);
        access.requireMember(user, app.workspace());
        if (!mayGiveUp(user, app.workspace())) {
            throw MiniflowException.forbidden("cloudapp.giveUp.operatorsOnly", app.workspace());
        }
        Build build = repository.findBuild(buildId).filter(b -> b.environmentId() == environment.id())
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.build.notFound", buildId));
        return new GivingUp(app, build);
    }

    static String statusUrl(String name, String env, long buildId) {
        return "/api/cloud-apps/" + name + "/environments/" + env + "/builds/" + buildId;
    }

    private record Checked(CloudApp app, CloudEnvironment environment, Plan plan, int months, int amountFen,
                           String domain, CertificateCheck.Checked certificate) {
    }

    private Checked check(CurrentUser user, String name, String env, BuildRequest request) {
        CloudApp app = visibleApp(user, name);
        CloudEnvironment environment = requireEnvironment(app, env);
        requireEditor(user, app.workspace());
        InvalidFields invalid = new InvalidFields();
        Plan plan = null;
        if (blank(request.plan())) {
            invalid.add("plan", "cloudapp.field.required");
        } else {
            plan = Arrays.stream(Plan.values()).filter(p -> p.name().equals(request.plan())).findFirst().orElse(null);
            if (plan == null || plans.spec(plan).isEmpty()) {
                invalid.add("plan", "cloudapp.plan.unknown", request.plan());
                plan = null;
            }
        }
        Integer amount = null;
        if (request.months() == null) {
            invalid.add("months", "cloudapp.field.required");
        } else if (plan != null) {
            amount = plans.amountFen(plan, request.months()).orElse(null);
            if (amount == null) {
                invalid.add("months", "cloudapp.months.notOnSale", request.months(), plan.name(),
                    plans.spec(plan).orElseThrow().priceTable().keySet().toString());
            }
        }
        String domain = null;
        CertificateCheck.Checked certificate = null;
        if (environment.env() == EnvName.TEST) {
            if (!blank(request.domain())) {
                invalid.add("domain", "cloudapp.domain.testAutomatic");
            }
            if (!blank(request.certificatePem()) || !blank(request.privateKeyPem())) {
                invalid.add("certificatePem", "cloudapp.certificate.testNone");
            }
            domain = plans.testDomain(app.name()).orElse(null);
            if (domain == null) {
                throw new MiniflowException(HttpStatus.SERVICE_UNAVAILABLE, "cloudapp.baseDomain.missing");
            }
        } else {
            if (blank(request.domain())) {
                invalid.add("domain", "cloudapp.domain.requiredProd");
            } else if (!DOMAIN.matcher(request.domain().trim().toLowerCase(Locale.ROOT)).matches()) {
                invalid.add("domain", "cloudapp.domain.pattern");
            } else {
                domain = request.domain().trim().toLowerCase(Locale.ROOT);
            }
            if (length(request.certificatePem()) > MAX_PEM) {
                invalid.add("certificatePem", "cloudapp.field.size", MAX_PEM);
            } else if (length(request.privateKeyPem()) > MAX_PEM / 2) {
                invalid.add("privateKeyPem", "cloudapp.field.size", MAX_PEM / 2);
            } else {
                certificate = CertificateCheck.check(request.certificatePem(), request.privateKeyPem(), domain,
                    clock.instant(), invalid);
            }
        }
        invalid.throwIfAny();
        // A build that failed (given up, out of stock) or a release left nothing bought: it may be built again.
        if (environment.status() != EnvironmentStatus.NOT_BUILT && environment.status() != EnvironmentStatus.BUILD_FAILED
            && environment.status() != EnvironmentStatus.RELEASED) {
            throw MiniflowException.conflict("cloudapp.build.notNotBuilt", env, environment.status().name());
        }
        if (repository.domainInUse(domain, environment.id())) {
            throw MiniflowException.conflict("cloudapp.domain.inUse", domain);
        }
        return new Checked(app, environment, plan, request.months(), amount, domain, certificate);
    }

    private BuildTicket record(CurrentUser user, Checked c, BuildRequest request) {
        Instant now = clock.instant();
        long envId = c.environment().id();
        if (!repository.moveStatus(envId, c.environment().status(), EnvironmentStatus.BUILDING, now)) {
            throw MiniflowException.conflict("cloudapp.build.notNotBuilt", c.environment().env().code(),
                repository.findEnvironmentById(envId).orElseThrow().status().name());
        }
        Long certificateId = c.certificate() == null ? null : repository.insertCertificate(envId, c.domain(),
            request.certificatePem(), request.privateKeyPem(), c.certificate(), user.username(), now);
        long buildId = repository.insertBuild(envId, user.username(), c.plan(), c.months(), c.domain(), certificateId,
            now);
        String outTradeNo = BuildTicket.outTradeNo(buildId);
        repository.insertOrder(envId, buildId, outTradeNo, c.amountFen(), c.plan(), c.months(), now);
        repository.startBuilding(envId, buildId, c.domain(), certificateId, now);
        audit.record(user.username(), "CLOUD_BUILD_REQUESTED", "cloud-env",
            c.app().name() + "/" + c.environment().env().code(), c.app().workspace(),
            c.plan() + " " + c.months() + "m " + outTradeNo);
        return new BuildTicket(buildId, envId, c.app().workspace(), c.app().name(), c.app().runtime(),
            c.environment().env(), c.plan(), plans.spec(c.plan()).orElseThrow(), c.months(), c.domain(), certificateId,
            outTradeNo, c.amountFen(), user.username());
    }

    // --- views

    private AppCard card(CloudApp app) {
        return new AppCard(app.name(), app.workspace(), app.runtime(), app.description(), summaries(app));
    }

    private List<EnvSummary> summaries(CloudApp app) {
        return repository.environmentsOf(app.id()).stream()
            .map(e -> new EnvSummary(e.env().code(), e.status(), e.plan(), e.domain())).toList();
    }

    private AppDetail detail(CurrentUser user, CloudApp app) {
        List<EnvSummary> envs = summaries(app);
        return new AppDetail(app.name(), app.workspace(), app.runtime(), app.runtime().packageKind(),
            app.runtime().port(), app.description(), app.createdBy(), app.createdAt(), envs,
            canEdit(user, app.workspace()), canSeeSecrets(user, app.workspace()),
            envs.stream().allMatch(e -> e.status().holdsNothing()));
    }

    private EnvironmentView view(CloudApp app, CloudEnvironment env) {
        List<CloudResource> resources = repository.resourcesOf(env.id());
        List<Instance> instances = resources.stream().filter(r -> r.kind() == ResourceKind.ECS_INSTANCE)
            .map(r -> new Instance(r.resourceId(), r.address(), r.weight(), r.appVersion())).toList();
        LoadBalancer lb = resources.stream().filter(r -> r.kind() == ResourceKind.LOAD_BALANCER).findFirst()
            .map(r -> new LoadBalancer(r.resourceId(), r.address(), instances)).orElse(null);
        DatabaseView database = repository.findDatabase(env.id()).map(d -> new DatabaseView(d.kind(), d.instanceId(),
            d.host(), d.port(), d.databaseName(), d.accountName())).orElse(null);
        OrderView order = env.buildId() == null ? null : repository.orderOfBuild(env.buildId())
            .map(o -> new OrderView(o.outTradeNo(), o.status(), o.codeUrl(), o.amountFen(), o.plan(), o.months()))
            .orElse(null);
        CertificateView certificate = env.certificateId() == null ? null : repository.findCertificate(
                env.certificateId())
            .map(c -> new CertificateView(c.domain(), c.subject(), c.notBefore(), c.notAfter(), c.fingerprint()))
            .orElse(null);
        return new EnvironmentView(app.name(), env.env().code(), env.status(), env.plan(),
            new Resources(instances, lb, database, env.domain()), order, certificate, env.requiredApprovals());
    }

    // --- access

    /** The app if the user may see its workspace, else 404: for the features beside apps (release packages). */
    public CloudApp visible(CurrentUser user, String name) {
        return visibleApp(user, name);
    }

    /** The app if the user may change it: 404 when it cannot see it, 403 for readers. */
    public CloudApp editable(CurrentUser user, String name) {
        CloudApp app = visibleApp(user, name);
        requireEditor(user, app.workspace());
        return app;
    }

    public boolean mayEdit(CurrentUser user, CloudApp app) {
        return canEdit(user, app.workspace());
    }

    /** The app if the user administers its workspace (load balancer weights by hand): 404 unseen, 403 others. */
    public CloudApp administrable(CurrentUser user, String name) {
        CloudApp app = visibleApp(user, name);
        access.requireMember(user, app.workspace());
        if (!canSeeSecrets(user, app.workspace())) {
            throw MiniflowException.forbidden("cloudapp.adminsOnly", app.workspace());
        }
        return app;
    }

    /** Platform admins and the workspace's admins, as {@link #administrable} lets through. */
    public boolean mayAdminister(CurrentUser user, CloudApp app) {
        return canSeeSecrets(user, app.workspace());
    }

    boolean canEdit(CurrentUser user, String workspace) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.hasRole(user.username(), workspace, EDITOR_ROLES);
    }

    boolean canSeeSecrets(CurrentUser user, String workspace) {
        return user.has(Roles.CAMUNDA_ADMIN) || access.isActiveAdmin(user.username(), workspace);
    }

    /** Operators (they repair stuck builds everywhere) and the workspace's admins. */
    boolean mayGiveUp(CurrentUser user, String workspace) {
        return user.has(Roles.OPERATOR) || canSeeSecrets(user, workspace);
    }

    private void requireEditor(CurrentUser user, String workspace) {
        access.requireMember(user, workspace);
        if (!canEdit(user, workspace)) {
            throw MiniflowException.forbidden("cloudapp.editorsOnly", workspace);
        }
    }

    /** The app if the user may see its workspace; otherwise as if it did not exist (404). */
    private CloudApp visibleApp(CurrentUser user, String name) {
        CloudApp app = repository.findApp(name == null ? "" : name)
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.notFound", name));
        List<String> visible = access.visibleWorkspaces(user);
        if (visible != null && !visible.contains(app.workspace())) {
            throw MiniflowException.notFound("cloudapp.notFound", name);
        }
        return app;
    }

    private CloudEnvironment requireEnvironment(CloudApp app, String env) {
        return EnvName.fromCode(env).flatMap(e -> repository.findEnvironment(app.id(), e))
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.environment.notFound", env, app.name()));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static String trimToNull(String s) {
        return blank(s) ? null : s.trim();
    }
}
