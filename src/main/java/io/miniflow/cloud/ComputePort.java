package io.miniflow.cloud;

import java.util.List;
import java.util.Map;

import io.miniflow.shared.IdempotencyKey;

/**
 * What environment build and deploy need from a compute cloud: create instances (idempotently), watch them, start,
 * stop and delete them, and run a command on them. Owned by the domain; the Aliyun ECS adapter implements it.
 * Failures are thrown as {@link io.miniflow.shared.PlatformException} (retryable or not).
 */
public interface ComputePort {

    /** Creates and starts {@code spec.amount()} instances; the same key returns the same instances again. */
    List<String> runInstances(InstanceSpec spec, IdempotencyKey key);

    List<Instance> describeInstances(List<String> instanceIds);

    void startInstance(String instanceId);

    void stopInstance(String instanceId);

    /** Releases the instance; {@code force} also releases a Running one. An instance already gone is fine. */
    void deleteInstance(String instanceId, boolean force);

    /** Runs a shell script on the instances; returns the invocation id. The same key returns the same invocation. */
    String runCommand(List<String> instanceIds, String shellScript, IdempotencyKey key);

    /** The per-instance results of an invocation, while running and after. */
    List<CommandResult> commandResults(String invocationId);

    record InstanceSpec(String zoneId, String imageId, String instanceType, String securityGroupId, String vSwitchId,
                        String instanceName, int amount, int internetBandwidthOut, Map<String, String> tags) {
    }

    enum InstanceStatus { PENDING, STARTING, RUNNING, STOPPING, STOPPED, UNKNOWN }

    record Instance(String instanceId, InstanceStatus status, String privateIp, String publicIp,
                    Map<String, String> tags) {
    }

    enum CommandStatus { RUNNING, SUCCESS, FAILED }

    record CommandResult(String instanceId, CommandStatus status, Integer exitCode, String output) {
    }
}
