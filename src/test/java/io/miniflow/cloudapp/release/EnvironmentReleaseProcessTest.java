package io.miniflow.cloudapp.release;

import static io.miniflow.cloudapp.release.EnvironmentReleaseVariables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.repositoryService;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.runtimeService;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.ServiceTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaFailedJobRetryTimeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.miniflow.ProcessTestEngine;
import io.miniflow.approval.ReviewCall;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.CloudResource;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.cloudapp.ResourceKind;
import io.miniflow.cloudapp.StepStatus;
import io.miniflow.cloudapp.build.BuildTimings;
import io.miniflow.shared.IdempotencyKey;

/**
 * environment-release (issue 15) on an in-memory engine with its real delegates: the environment's resource rows are
 * a stand-in of {@link EnvironmentBuilds}, the platforms are stand-ins of the ports that keep what exists and record
 * every call in order. Every kind of resource deleted in order, a starter environment with only its server, resources
 * already gone at the platform, and a failing step retried into an incident then retried by an operator.
 */
class EnvironmentReleaseProcessTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final BuildTimings TIMINGS = new BuildTimings("PT1M", "PT30M", "PT10S", "PT5S", "R3/PT5M");
    private static final long BUILD = 7L;
    private static final List<String> STEPS = List.of("Task_StopApp", "Task_DeleteDnsRecord",
        "Task_DeleteLoadBalancer", "Task_DeleteDatabase", "Task_StopServers", "Task_CheckServersStopped",
        "Task_DeleteServers", "Task_MarkReleased");

    private ProcessTestEngine engine;
    private final List<String> calls = new ArrayList<>();
    /** The environment's resource rows not yet released, oldest first. */
    private final List<CloudResource> rows = new ArrayList<>();
    /** What exists at the platforms: servers with their status, and the other resources' ids. */
    private final Map<String, ComputePort.InstanceStatus> servers = new LinkedHashMap<>();
    private final List<String> cloud = new ArrayList<>();
    /** How many times a port call still fails before it works. */
    private final Map<String, Integer> failures = new HashMap<>();
    private final EnvironmentBuilds builds = mock(EnvironmentBuilds.class);

    @BeforeEach
    void startEngine() {
        when(builds.resources(anyLong())).thenAnswer(i -> List.copyOf(rows));
        doAnswer(i -> rows.removeIf(r -> r.kind() == i.getArgument(1) && r.resourceId().equals(i.getArgument(2))))
            .when(builds).released(anyLong(), any(), anyString());
        EnvironmentReleaseDelegates delegates = new EnvironmentReleaseDelegates();
        ComputePort compute = new Compute();
        engine = ProcessTestEngine.deploying("bpmn/environment-release.bpmn")
            .bean("buildTimings", TIMINGS)
            .bean("stopApp", delegates.stopApp(builds, compute))
            .bean("deleteDnsRecord", delegates.deleteDnsRecord(builds, new Dns()))
            .bean("deleteLoadBalancer", delegates.deleteLoadBalancer(builds, loadBalancers()))
            .bean("deleteRdsInstance", delegates.deleteRdsInstance(builds, databases()))
            .bean("stopServers", delegates.stopServers(builds, compute))
            .bean("checkServersStopped", delegates.checkServersStopped(builds, compute))
            .bean("deleteInstances", delegates.deleteInstances(builds, compute))
            .bean("markEnvironmentReleased", delegates.markEnvironmentReleased(builds));
        ClockUtil.setCurrentTime(Date.from(NOW));
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    @Test
    void shouldRunEveryStepAsynchronouslyWithTheRetryCycleInTheReleaseOrder() {
        // Given
        BpmnModelInstance model = repositoryService().getBpmnModelInstance(repositoryService()
            .createProcessDefinitionQuery().processDefinitionKey(PROCESS_KEY).singleResult().getId());

        // When
        Map<String, String> cycles = new TreeMap<>();
        for (ServiceTask task : model.getModelElementsByType(ServiceTask.class)) {
            CamundaFailedJobRetryTimeCycle cycle = task.getExtensionElements() == null ? null
                : task.getExtensionElements().getElementsQuery().filterByType(CamundaFailedJobRetryTimeCycle.class)
                    .list().stream().findFirst().orElse(null);
            cycles.put(task.getId(), task.isCamundaAsyncBefore() && cycle != null ? cycle.getTextContent().trim()
                : "not a save point");
        }

        // Then
        assertThat(cycles).containsOnlyKeys(Stream.concat(STEPS.stream(), Stream.of("Task_ReturnEnvironment")).toList());
        assertThat(cycles.values()).containsOnly("${buildTimings.retryCycle()}");
    }

    @Test
    void shouldStopTheAppThenDeleteDnsLoadBalancerDatabaseAndServersInThatOrder() {
        // Given: a standard test environment
        standardTestEnvironment();

        // When
        ProcessInstance release = start();
        engine.runDueJobs();

        // Then: the servers are still stopping at the first check; none is deleted before it has stopped
        assertThat(release).isWaitingAt("Event_WaitForStop");
        assertThat(calls).doesNotContain("deleteInstance i-1", "deleteInstance i-2");

        // When: the poll interval has passed
        engine.fireTimer(release, "Event_WaitForStop");
        engine.runDueJobs();

        // Then
        assertThat(release).isEnded().hasPassedInOrder(STEPS.toArray(String[]::new)).hasPassed("EndEvent_Released");
        assertThat(calls).containsExactly("runCommand [i-1, i-2]", "deleteRecord rec-1", "deleteLoadBalancer lb-1",
            "deleteInstance rm-1", "stopInstance i-1", "stopInstance i-2", "deleteInstance i-1",
            "deleteInstance i-2");
        assertThat(rows).as("resource rows not released").isEmpty();
        assertThat(cloud).isEmpty();
        assertThat(servers).isEmpty();
        verify(builds).environmentReleased(BUILD);
    }

    @Test
    void shouldReleaseAStarterEnvironmentWhoseOnlyResourceIsItsServer() {
        // Given
        server("i-1");

        // When
        ProcessInstance release = start();
        runToTheEnd(release);

        // Then: the DNS, load balancer and database steps find nothing to delete and say so
        assertThat(release).isEnded();
        assertThat(calls).containsExactly("runCommand [i-1]", "stopInstance i-1", "deleteInstance i-1");
        verify(builds).step(BUILD, "release: load balancer", StepStatus.SKIPPED, "none");
        verify(builds).environmentReleased(BUILD);
    }

    @Test
    void shouldTreatResourcesAlreadyGoneAtThePlatformAsReleased() {
        // Given: the rows are there, but someone deleted everything in the cloud console already
        standardTestEnvironment();
        servers.clear();
        cloud.clear();

        // When
        ProcessInstance release = start();
        engine.runDueJobs();

        // Then: no command and no stop on servers that are gone; each deletion succeeds and the rows are released
        assertThat(release).isEnded();
        assertThat(calls).noneMatch(c -> c.startsWith("runCommand") || c.startsWith("stopInstance"));
        assertThat(rows).isEmpty();
        verify(builds).step(BUILD, "release: app", StepStatus.SKIPPED, "no running server");
        verify(builds).environmentReleased(BUILD);
    }

    @Test
    void shouldRetryAFailingDeletionThenRaiseAnIncidentAndGoOnWhenAnOperatorRetries() {
        // Given: the load balancer cannot be deleted for now
        standardTestEnvironment();
        failures.put("deleteLoadBalancer", 3);
        ProcessInstance release = start();
        runUntil(release, "Task_DeleteLoadBalancer");

        // When / Then: the retry cycle R3/PT5M, then an incident; the instance waits there, not released
        engine.failOnce(release, "Task_DeleteLoadBalancer");
        engine.failsUntilIncident(release, "Task_DeleteLoadBalancer", Date.from(NOW.plusSeconds(300)));
        assertThat(release).isNotEnded();
        verify(builds, never()).environmentReleased(anyLong());
        assertThat(cloud).contains("lb-1", "rm-1");

        // When: the cause removed, an operator retries in Cockpit
        engine.retryNow(release, "Task_DeleteLoadBalancer");
        runToTheEnd(release);

        // Then: what was done before the failure is not done again
        assertThat(release).isEnded();
        assertThat(calls.stream().filter(c -> c.startsWith("deleteRecord"))).hasSize(1);
        assertThat(calls.stream().filter(c -> c.startsWith("runCommand"))).hasSize(1);
        assertThat(rows).isEmpty();
        verify(builds).environmentReleased(BUILD);
    }

    // --- the environment

    private void standardTestEnvironment() {
        server("i-1");
        server("i-2");
        row(ResourceKind.RDS_INSTANCE, "rm-1");
        row(ResourceKind.LOAD_BALANCER, "lb-1");
        row(ResourceKind.DNS_RECORD, "rec-1");
    }

    private void server(String id) {
        servers.put(id, ComputePort.InstanceStatus.RUNNING);
        rows.add(new CloudResource(rows.size() + 1, 3, BUILD, ResourceKind.ECS_INSTANCE, id, "10.0.0." + rows.size(),
            null, NOW, null, null));
    }

    private void row(ResourceKind kind, String id) {
        cloud.add(id);
        rows.add(new CloudResource(rows.size() + 1, 3, BUILD, kind, id, null, null, NOW, null, null));
    }

    private ProcessInstance start() {
        return runtimeService().startProcessInstanceByKey(PROCESS_KEY, "shop/test/release",
            Variables.createVariables().putValue(WORKSPACE.name(), "Demo").putValue(ENVIRONMENT_ID.name(), 3L)
                .putValue(BUILD_ID.name(), BUILD).putValue(CLOUD_APP.name(), "shop").putValue(ENV.name(), "test")
                .putValue(REQUESTED_BY.name(), "developer").putValue(ReviewCall.REQUIRED_APPROVALS.name(), 0)
                .putValue(RETURN_TO.name(), "READY"));
    }

    /** Runs the steps and the waits for the servers to stop. */
    private void runToTheEnd(ProcessInstance instance) {
        engine.runDueJobs();
        while (engine.engine().getManagementService().createJobQuery().processInstanceId(instance.getId()).timers()
            .activityId("Event_WaitForStop").count() == 1) {
            engine.fireTimer(instance, "Event_WaitForStop");
            engine.runDueJobs();
        }
    }

    /** Runs the steps before {@code activityId}, leaving its job unexecuted. */
    private void runUntil(ProcessInstance instance, String activityId) {
        for (int i = 0; i < STEPS.size(); i++) {
            var jobs = engine.engine().getManagementService().createJobQuery().processInstanceId(instance.getId());
            if (jobs.activityId(activityId).count() == 1) {
                return;
            }
            Job job = engine.engine().getManagementService().createJobQuery().processInstanceId(instance.getId())
                .singleResult();
            engine.engine().getManagementService().executeJob(job.getId());
        }
        throw new AssertionError("never reached " + activityId);
    }

    private void call(String name, Object argument) {
        calls.add(name + " " + argument);
        Integer left = failures.get(name);
        if (left != null && left > 0) {
            failures.put(name, left - 1);
            calls.remove(calls.size() - 1);
            throw new IllegalStateException(name + " failed: InternalError");
        }
    }

    // --- the platforms: deleting what is gone is fine, as the ports promise

    private final class Compute implements ComputePort {
        @Override
        public List<String> runInstances(InstanceSpec spec, IdempotencyKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<Instance> describeInstances(List<String> instanceIds) {
            // What was stopping at the last look is stopped now: the first check after the stop waits once.
            List<Instance> seen = instanceIds.stream().filter(servers::containsKey)
                .map(id -> new Instance(id, servers.get(id), null, null, Map.of())).toList();
            servers.replaceAll((id, status) -> status == InstanceStatus.STOPPING ? InstanceStatus.STOPPED : status);
            return seen;
        }

        @Override
        public void startInstance(String instanceId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stopInstance(String instanceId) {
            call("stopInstance", instanceId);
            servers.put(instanceId, InstanceStatus.STOPPING);
        }

        @Override
        public void deleteInstance(String instanceId, boolean force) {
            call("deleteInstance", instanceId);
            servers.remove(instanceId);
        }

        @Override
        public String runCommand(List<String> instanceIds, String shellScript, IdempotencyKey key) {
            call("runCommand", instanceIds);
            return "t-1";
        }

        @Override
        public List<CommandResult> commandResults(String invocationId) {
            return List.of();
        }
    }

    private final class Dns implements DnsPort {
        @Override
        public String ensureARecord(String domain, String rr, String address) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DnsRecord> describe(String domain, String rr) {
            return List.of();
        }

        @Override
        public void deleteRecord(String recordId) {
            call("deleteRecord", recordId);
            cloud.remove(recordId);
        }
    }

    private LoadBalancerPort loadBalancers() {
        LoadBalancerPort port = mock(LoadBalancerPort.class);
        doAnswer(i -> {
            call("deleteLoadBalancer", i.getArgument(0));
            return cloud.remove((String) i.getArgument(0));
        }).when(port).deleteLoadBalancer(anyString());
        return port;
    }

    private DatabasePort databases() {
        DatabasePort port = mock(DatabasePort.class);
        doAnswer(i -> {
            call("deleteInstance", i.getArgument(0));
            return cloud.remove((String) i.getArgument(0));
        }).when(port).deleteInstance(anyString());
        return port;
    }
}
