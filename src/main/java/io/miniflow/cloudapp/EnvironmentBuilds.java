package io.miniflow.cloudapp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.notify.EventType;
import io.miniflow.notify.Events;
import io.miniflow.shared.MiniflowException;

/**
 * What the environment-build process records as it goes (one call per step, each idempotent so a retried job changes
 * nothing twice): its steps, every resource id the moment it exists, the database, the order's payment, and the end.
 * Deploys and releases (issue 15) read the same resources.
 */
@Service
public class EnvironmentBuilds {

    private final CloudAppRepository repository;
    private final CloudPlans plans;
    private final Clock clock;
    private final Events events;

    EnvironmentBuilds(CloudAppRepository repository, CloudPlans plans, Clock clock, Events events) {
        this.repository = repository;
        this.plans = plans;
        this.clock = clock;
        this.events = events;
    }

    /** Everything a step needs about the build. */
    public BuildTicket ticket(long buildId) {
        Build build = build(buildId);
        CloudEnvironment env = repository.findEnvironmentById(build.environmentId()).orElseThrow();
        CloudApp app = repository.findAppById(env.appId()).orElseThrow();
        CloudOrder order = repository.orderOfBuild(buildId).orElseThrow();
        return new BuildTicket(buildId, env.id(), app.workspace(), app.name(), app.runtime(), env.env(), build.plan(),
            plans.spec(build.plan()).orElseThrow(), build.months(), build.domain(), build.certificateId(),
            order.outTradeNo(), order.amountFen(), build.startedBy());
    }

    public Optional<Build> findByProcess(String processInstanceId) {
        return repository.findBuildByProcess(processInstanceId);
    }

    @Transactional
    public void step(long buildId, String step, StepStatus status, String message) {
        repository.insertStep(buildId, step, status, message, clock.instant());
    }

    // --- resources

    /** Records an ECS instance (again: nothing happens) and its IP once known; false when it was known already. */
    @Transactional
    public boolean instance(long buildId, String instanceId, String ip) {
        return resource(buildId, ResourceKind.ECS_INSTANCE, instanceId, ip, null);
    }

    @Transactional
    public boolean loadBalancer(long buildId, String loadBalancerId, String address) {
        return resource(buildId, ResourceKind.LOAD_BALANCER, loadBalancerId, address, null);
    }

    @Transactional
    public void backendWeight(long buildId, String instanceId, int weight) {
        repository.setWeight(build(buildId).environmentId(), instanceId, weight);
    }

    @Transactional
    public boolean rdsInstance(long buildId, String instanceId, String connectionHost) {
        return resource(buildId, ResourceKind.RDS_INSTANCE, instanceId, connectionHost, null);
    }

    @Transactional
    public boolean dnsRecord(long buildId, String recordId, String value) {
        return resource(buildId, ResourceKind.DNS_RECORD, recordId, value, null);
    }

    /** The SLB server certificate made from the build's certificate. */
    @Transactional
    public boolean serverCertificate(long buildId, String serverCertificateId) {
        Build build = build(buildId);
        if (build.certificateId() != null) {
            repository.setCloudCertificateId(build.certificateId(), serverCertificateId);
        }
        return resource(buildId, ResourceKind.SERVER_CERTIFICATE, serverCertificateId, null, null);
    }

    /** The resources not released, oldest first: what a give-up deletes. */
    public List<CloudResource> resources(long buildId) {
        return repository.resourcesOf(build(buildId).environmentId());
    }

    @Transactional
    public void released(long buildId, ResourceKind kind, String resourceId) {
        repository.markReleased(build(buildId).environmentId(), kind, resourceId, clock.instant());
    }

    /** The database with its generated password (stored encrypted); a retried step replaces it. */
    @Transactional
    public void database(long buildId, DatabaseKind kind, String instanceId, String host, int port,
                         String databaseName, String accountName, String password) {
        repository.saveDatabase(build(buildId).environmentId(), buildId, kind, instanceId, host, port, databaseName,
            accountName, password, clock.instant());
    }

    public Optional<String> databasePassword(long buildId) {
        return repository.databasePassword(build(buildId).environmentId());
    }

    /** The build's private key in plain text, to install it (nginx on the ECS, or the SLB). */
    public Optional<String> privateKey(long buildId) {
        Long certificateId = build(buildId).certificateId();
        return certificateId == null ? Optional.empty() : repository.privateKey(certificateId);
    }

    public Optional<Certificate> certificate(long buildId) {
        Long certificateId = build(buildId).certificateId();
        return certificateId == null ? Optional.empty() : repository.findCertificate(certificateId);
    }

    // --- the order

    @Transactional
    public void codeUrl(String outTradeNo, String codeUrl) {
        repository.setCodeUrl(outTradeNo, codeUrl);
    }

    /** UNPAID → PAID; false when it was paid already (a second notification) or closed. */
    @Transactional
    public boolean paid(String outTradeNo, String transactionId, Instant paidAt) {
        return repository.markPaid(outTradeNo, transactionId, paidAt);
    }

    public Optional<CloudOrder> order(String outTradeNo) {
        return repository.findOrder(outTradeNo);
    }

    /** Nobody paid in time: the order CLOSED, the build CLOSED, the environment NOT_BUILT again with nothing. */
    @Transactional
    public void closedUnpaid(long buildId) {
        Build build = build(buildId);
        Instant now = clock.instant();
        repository.orderOfBuild(buildId).ifPresent(o -> repository.markClosed(o.outTradeNo(), now));
        if (repository.endBuild(buildId, BuildStatus.CLOSED, null, now)) {
            repository.resetEnvironment(build.environmentId(), now);
        }
    }

    @Transactional
    public boolean refunded(String outTradeNo, String outRefundNo) {
        return repository.markRefunded(outTradeNo, outRefundNo, clock.instant());
    }

    // --- the end

    /** Every resource recorded: the environment READY on its plan. */
    @Transactional
    public void ready(long buildId) {
        Build build = build(buildId);
        Instant now = clock.instant();
        if (repository.endBuild(buildId, BuildStatus.READY, null, now)) {
            repository.setStatus(build.environmentId(), EnvironmentStatus.READY, build.plan(), now);
            announce(build, EventType.ENVIRONMENT_BUILT, null);
        }
    }

    /** Given up (resources deleted, order refunded): the environment BUILD_FAILED with the reason on the build. */
    @Transactional
    public void failed(long buildId, String reason) {
        Build build = build(buildId);
        Instant now = clock.instant();
        if (repository.endBuild(buildId, BuildStatus.FAILED, reason, now)) {
            repository.setStatus(build.environmentId(), EnvironmentStatus.BUILD_FAILED, null, now);
            announce(build, EventType.ENVIRONMENT_BUILD_FAILED, reason);
        }
    }

    private void announce(Build build, EventType type, String reason) {
        CloudEnvironment env = repository.findEnvironmentById(build.environmentId()).orElseThrow();
        CloudApp app = repository.findAppById(env.appId()).orElseThrow();
        events.publish(app.workspace(), type, app.name() + " " + env.env().code(), Events.data("cloudApp",
            app.name(), "env", env.env().code(), "buildId", build.id(), "plan", String.valueOf(build.plan()), "domain",
            build.domain(), "reason", reason), "/environments/apps/" + app.name());
    }

    // --- the release (environment-release)

    /** Every resource deleted: RELEASING → RELEASED; its builds, orders and resource rows stay as history. */
    @Transactional
    public void environmentReleased(long buildId) {
        repository.moveStatus(build(buildId).environmentId(), EnvironmentStatus.RELEASING, EnvironmentStatus.RELEASED,
            clock.instant());
    }

    /** A release not approved: RELEASING → the status the environment had before (nothing was deleted). */
    public void releaseNotApproved(long buildId, EnvironmentStatus returnTo) {
        repository.moveStatus(build(buildId).environmentId(), EnvironmentStatus.RELEASING, returnTo, clock.instant());
    }

    private boolean resource(long buildId, ResourceKind kind, String resourceId, String address, Integer weight) {
        long envId = build(buildId).environmentId();
        boolean added = repository.insertResource(envId, buildId, kind, resourceId, address, weight, clock.instant());
        if (!added && address != null) {
            repository.setResourceAddress(envId, kind, resourceId, address);
        }
        return added;
    }

    private Build build(long buildId) {
        return repository.findBuild(buildId)
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.build.notFound", buildId));
    }
}
