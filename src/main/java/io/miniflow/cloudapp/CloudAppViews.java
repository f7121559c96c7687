package io.miniflow.cloudapp;

import java.time.Instant;
import java.util.List;

/** What the API and the console show of cloud apps: never a private key, a database password only when asked. */
public final class CloudAppViews {

    private CloudAppViews() {
    }

    /** A card of the list: the app and each environment's status and plan. */
    public record AppCard(String name, String workspace, Runtime runtime, String description, List<EnvSummary> environments) {
    }

    public record EnvSummary(String env, EnvironmentStatus status, Plan plan, String domain) {
    }

    public record AppPage(List<AppCard> items, int page, int size, long total, int totalPages) {
    }

    public record AppDetail(String name, String workspace, Runtime runtime, String packageKind, int port,
                            String description, String createdBy, Instant createdAt, List<EnvSummary> environments,
                            boolean canEdit, boolean canSeeSecrets, boolean deletable) {
    }

    /**
     * GET /api/cloud-apps/{name}/environments/{env}. {@code requiredApprovals}: what a deploy or release of the
     * environment needs (0: none).
     */
    public record EnvironmentView(String app, String env, EnvironmentStatus status, Plan plan, Resources resources,
                                  OrderView order, CertificateView certificate, int requiredApprovals) {
    }

    public record Resources(List<Instance> instances, LoadBalancer loadBalancer, DatabaseView database, String domain) {
    }

    /** A server: its weight on the load balancer (standard plan) and the package version deployed on it. */
    public record Instance(String instanceId, String ip, Integer weight, String appVersion) {
    }

    public record LoadBalancer(String loadBalancerId, String address, List<Instance> backends) {
    }

    public record DatabaseView(DatabaseKind kind, String instanceId, String host, int port, String databaseName,
                               String accountName) {
    }

    public record OrderView(String outTradeNo, OrderStatus status, String codeUrl, int amountFen, Plan plan, int months) {
    }

    public record CertificateView(String domain, String subject, Instant notBefore, Instant notAfter,
                                  String fingerprint) {
    }

    /**
     * The console's environment tab: the view with its orders and build history; {@code canGiveUp} for operators and
     * workspace admins.
     */
    public record EnvironmentPage(AppDetail app, EnvironmentView environment, List<CloudOrder> orders,
                                  List<BuildHistory> builds, List<CloudResource> resources, boolean canGiveUp) {

        /** The environment's build while it runs: the one a give-up, the diagram and the refresh are about. */
        public BuildHistory runningBuild() {
            return builds.stream().filter(h -> h.build().status() == BuildStatus.RUNNING).findFirst().orElse(null);
        }
    }

    public record BuildHistory(Build build, List<BuildStep> steps) {
    }

    /** 202 of POST .../builds. */
    public record BuildStarted(String processInstanceId, String statusUrl, String outTradeNo, long buildId,
                               int amountFen) {
    }
}
