package io.miniflow.cloudapp.release;

import static io.miniflow.cloudapp.release.EnvironmentReleaseVariables.BUILD_ID;
import static io.miniflow.cloudapp.release.EnvironmentReleaseVariables.RETURN_TO;
import static io.miniflow.cloudapp.release.EnvironmentReleaseVariables.SERVERS_STOPPED;

import java.util.List;

import io.miniflow.approval.ReviewCall;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.CloudResource;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.cloudapp.EnvironmentStatus;
import io.miniflow.cloudapp.ResourceKind;
import io.miniflow.cloudapp.StepStatus;
import io.miniflow.shared.IdempotencyKey;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The steps of environment-release, one bean each under the name the model uses. Each step deletes one kind of
 * resource the environment still holds (its rows not yet released) and marks each released the moment it is gone;
 * a resource already gone at the platform is success (the ports say so), so a retried job does nothing twice. The
 * steps write a line each into the environment's last build history, where the console shows them.
 */
@Configuration(proxyBeanMethods = false)
class EnvironmentReleaseDelegates {

    /** Task_StopApp: the app stopped on the servers still running (Cloud Assistant, once per release by its key). */
    @Bean
    JavaDelegate stopApp(EnvironmentBuilds builds, ComputePort compute) {
        return execution -> {
            long buildId = BUILD_ID.from(execution);
            List<String> servers = ids(builds, buildId, ResourceKind.ECS_INSTANCE);
            // A server already gone (or stopped) has no app to stop.
            List<String> running = servers.isEmpty() ? List.of() : compute.describeInstances(servers).stream()
                .filter(i -> i.status() == ComputePort.InstanceStatus.RUNNING).map(ComputePort.Instance::instanceId)
                .toList();
            if (running.isEmpty()) {
                builds.step(buildId, "release: app", StepStatus.SKIPPED, "no running server");
                return;
            }
            String invocation = compute.runCommand(running, EnvironmentReleaseScripts.stopApp(), key(execution, "stop-app"));
            builds.step(buildId, "release: app", StepStatus.DONE,
                "stopping on " + String.join(", ", running) + " (invocation " + invocation + ")");
        };
    }

    /** Task_DeleteDnsRecord: the test domain's A record. */
    @Bean
    JavaDelegate deleteDnsRecord(EnvironmentBuilds builds, DnsPort dns) {
        return execution -> release(execution, builds, ResourceKind.DNS_RECORD, "DNS record", dns::deleteRecord);
    }

    /** Task_DeleteLoadBalancer: the SLB with its listeners (its server certificate is recorded released with it). */
    @Bean
    JavaDelegate deleteLoadBalancer(EnvironmentBuilds builds, LoadBalancerPort loadBalancers) {
        return execution -> {
            release(execution, builds, ResourceKind.LOAD_BALANCER, "load balancer", loadBalancers::deleteLoadBalancer);
            release(execution, builds, ResourceKind.SERVER_CERTIFICATE, "server certificate", id -> { });
        };
    }

    /** Task_DeleteDatabase: the RDS instance (MySQL on the server goes with the server). */
    @Bean
    JavaDelegate deleteRdsInstance(EnvironmentBuilds builds, DatabasePort databases) {
        return execution -> release(execution, builds, ResourceKind.RDS_INSTANCE, "database",
            databases::deleteInstance);
    }

    /** Task_StopServers: every server still running is stopped (one already stopped or gone is left alone). */
    @Bean
    JavaDelegate stopServers(EnvironmentBuilds builds, ComputePort compute) {
        return execution -> {
            long buildId = BUILD_ID.from(execution);
            List<String> servers = ids(builds, buildId, ResourceKind.ECS_INSTANCE);
            List<ComputePort.Instance> instances = servers.isEmpty() ? List.of() : compute.describeInstances(servers);
            List<String> stopping = stopRunning(compute, instances);
            builds.step(buildId, "release: servers stopped", stopping.isEmpty() ? StepStatus.SKIPPED : StepStatus.DONE,
                stopping.isEmpty() ? "none running" : String.join(", ", stopping));
        };
    }

    /**
     * Task_CheckServersStopped: all stopped (or gone) moves on; a server that was still starting at the stop and runs
     * now is stopped too.
     */
    @Bean
    JavaDelegate checkServersStopped(EnvironmentBuilds builds, ComputePort compute) {
        return execution -> {
            long buildId = BUILD_ID.from(execution);
            List<String> servers = ids(builds, buildId, ResourceKind.ECS_INSTANCE);
            List<ComputePort.Instance> instances = servers.isEmpty() ? List.of() : compute.describeInstances(servers);
            stopRunning(compute, instances);
            SERVERS_STOPPED.set(execution,
                instances.stream().allMatch(i -> i.status() == ComputePort.InstanceStatus.STOPPED));
        };
    }

    /** Task_DeleteServers: the stopped servers deleted (force only matters for one started again meanwhile). */
    @Bean
    JavaDelegate deleteInstances(EnvironmentBuilds builds, ComputePort compute) {
        return execution -> release(execution, builds, ResourceKind.ECS_INSTANCE, "servers",
            id -> compute.deleteInstance(id, true));
    }

    /** Task_ReturnEnvironment: not approved; the environment goes back to READY (or BUILD_FAILED), untouched. */
    @Bean
    JavaDelegate returnEnvironment(EnvironmentBuilds builds) {
        return execution -> {
            long buildId = BUILD_ID.from(execution);
            builds.releaseNotApproved(buildId, EnvironmentStatus.valueOf(RETURN_TO.from(execution)));
            String reason = ReviewCall.REASON.optional(execution).filter(r -> !r.isBlank()).map(r -> r + "; ").orElse("");
            builds.step(buildId, "release: not approved", StepStatus.SKIPPED, reason + "nothing was deleted");
        };
    }

    /** Task_MarkReleased: RELEASING → RELEASED; the history (builds, orders, resource rows) is kept. */
    @Bean
    JavaDelegate markEnvironmentReleased(EnvironmentBuilds builds) {
        return execution -> {
            long buildId = BUILD_ID.from(execution);
            builds.environmentReleased(buildId);
            builds.step(buildId, "released", StepStatus.DONE, "environment released");
        };
    }

    private static List<String> stopRunning(ComputePort compute, List<ComputePort.Instance> instances) {
        List<String> running = instances.stream().filter(i -> i.status() == ComputePort.InstanceStatus.RUNNING)
            .map(ComputePort.Instance::instanceId).toList();
        running.forEach(compute::stopInstance);
        return running;
    }

    private interface Deletion {
        void delete(String resourceId);
    }

    private static void release(DelegateExecution execution, EnvironmentBuilds builds, ResourceKind kind,
                                String step, Deletion deletion) {
        long buildId = BUILD_ID.from(execution);
        List<String> ids = ids(builds, buildId, kind);
        for (String id : ids) {
            deletion.delete(id);
            builds.released(buildId, kind, id);
        }
        if (kind != ResourceKind.SERVER_CERTIFICATE) {
            builds.step(buildId, "release: " + step, ids.isEmpty() ? StepStatus.SKIPPED : StepStatus.DONE,
                ids.isEmpty() ? "none" : String.join(", ", ids) + " deleted");
        }
    }

    private static List<String> ids(EnvironmentBuilds builds, long buildId, ResourceKind kind) {
        return builds.resources(buildId).stream().filter(r -> r.kind() == kind).map(CloudResource::resourceId)
            .toList();
    }

    private static IdempotencyKey key(DelegateExecution execution, String step) {
        return IdempotencyKey.of("environment-release-" + execution.getProcessInstanceId(), step);
    }
}
