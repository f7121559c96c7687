package io.miniflow.cloud.aliyun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.aliyuncs.ecs.model.v20140526.DeleteInstanceRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInstancesRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInstancesResponse;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationResultsRequest;
import com.aliyuncs.ecs.model.v20140526.DescribeInvocationResultsResponse;
import com.aliyuncs.ecs.model.v20140526.RunCommandRequest;
import com.aliyuncs.ecs.model.v20140526.RunInstancesRequest;
import com.aliyuncs.ecs.model.v20140526.StartInstanceRequest;
import com.aliyuncs.ecs.model.v20140526.StopInstanceRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.cloud.ComputePort;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.springframework.stereotype.Component;

/** {@link ComputePort} on aliyun-java-sdk-ecs: ClientTokens from the idempotency key, results in domain terms. */
@Component
public class AliyunComputeAdapter implements ComputePort {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AliyunClientFactory aliyun;

    public AliyunComputeAdapter(AliyunClientFactory aliyun) {
        this.aliyun = aliyun;
    }

    @Override
    public List<String> runInstances(InstanceSpec spec, IdempotencyKey key) {
        RunInstancesRequest request = new RunInstancesRequest();
        request.setZoneId(spec.zoneId());
        request.setImageId(spec.imageId());
        request.setInstanceType(spec.instanceType());
        request.setSecurityGroupId(spec.securityGroupId());
        request.setVSwitchId(spec.vSwitchId());
        request.setInstanceName(spec.instanceName());
        request.setAmount(spec.amount());
        request.setInternetMaxBandwidthOut(spec.internetBandwidthOut());
        List<RunInstancesRequest.Tag> tags = new ArrayList<>();
        // In key order: Tag.N numbering is part of the parameters a ClientToken is bound to, and a Map.of's order
        // changes from one JVM to the next, so a retry on another node would be refused (IdempotentParameterMismatch).
        new TreeMap<>(spec.tags() == null ? Map.<String, String>of() : spec.tags()).forEach((k, v) -> {
            RunInstancesRequest.Tag tag = new RunInstancesRequest.Tag();
            tag.setKey(k);
            tag.setValue(v);
            tags.add(tag);
        });
        request.setTags(tags);
        request.setClientToken(key.clientToken());
        return aliyun.call(AliyunClientFactory.Product.ECS, request).getInstanceIdSets();
    }

    @Override
    public List<Instance> describeInstances(List<String> instanceIds) {
        List<Instance> instances = new ArrayList<>();
        for (int from = 0; from < instanceIds.size(); from += 100) {
            DescribeInstancesRequest request = new DescribeInstancesRequest();
            request.setInstanceIds(json(instanceIds.subList(from, Math.min(instanceIds.size(), from + 100))));
            request.setPageSize(100);
            for (DescribeInstancesResponse.Instance i : aliyun.call(AliyunClientFactory.Product.ECS, request).getInstances()) {
                Map<String, String> tags = new LinkedHashMap<>();
                if (i.getTags() != null) {
                    i.getTags().forEach(t -> tags.put(t.getTagKey(), t.getTagValue()));
                }
                List<String> privateIps = i.getVpcAttributes() == null ? List.of()
                    : i.getVpcAttributes().getPrivateIpAddress();
                instances.add(new Instance(i.getInstanceId(), status(i.getStatus()),
                    privateIps == null || privateIps.isEmpty() ? null : privateIps.get(0),
                    i.getPublicIpAddress() == null || i.getPublicIpAddress().isEmpty() ? null : i.getPublicIpAddress().get(0),
                    tags));
            }
        }
        return instances;
    }

    private static InstanceStatus status(String status) {
        if (status == null) {
            return InstanceStatus.UNKNOWN;
        }
        return switch (status) {
            case "Pending" -> InstanceStatus.PENDING;
            case "Starting" -> InstanceStatus.STARTING;
            case "Running" -> InstanceStatus.RUNNING;
            case "Stopping" -> InstanceStatus.STOPPING;
            case "Stopped" -> InstanceStatus.STOPPED;
            default -> InstanceStatus.UNKNOWN;
        };
    }

    @Override
    public void startInstance(String instanceId) {
        StartInstanceRequest request = new StartInstanceRequest();
        request.setInstanceId(instanceId);
        aliyun.call(AliyunClientFactory.Product.ECS, request);
    }

    @Override
    public void stopInstance(String instanceId) {
        StopInstanceRequest request = new StopInstanceRequest();
        request.setInstanceId(instanceId);
        aliyun.call(AliyunClientFactory.Product.ECS, request);
    }

    @Override
    public void deleteInstance(String instanceId, boolean force) {
        DeleteInstanceRequest request = new DeleteInstanceRequest();
        request.setInstanceId(instanceId);
        request.setForce(force);
        try {
            aliyun.call(AliyunClientFactory.Product.ECS, request);
        } catch (PlatformException e) {
            // Deleting what is gone already is done: a retry after a lost answer must not fail.
            if (!"InvalidInstanceId.NotFound".equals(e.platformCode())) {
                throw e;
            }
        }
    }

    @Override
    public String runCommand(List<String> instanceIds, String shellScript, IdempotencyKey key) {
        RunCommandRequest request = new RunCommandRequest();
        request.setType("RunShellScript");
        request.setCommandContent(shellScript);
        request.setContentEncoding("PlainText");
        request.setInstanceIds(instanceIds);
        request.setClientToken(key.clientToken());
        return aliyun.call(AliyunClientFactory.Product.ECS, request).getInvokeId();
    }

    @Override
    public List<CommandResult> commandResults(String invocationId) {
        DescribeInvocationResultsRequest request = new DescribeInvocationResultsRequest();
        request.setInvokeId(invocationId);
        request.setContentEncoding("PlainText");
        request.setPageSize(50L);
        DescribeInvocationResultsResponse response = aliyun.call(AliyunClientFactory.Product.ECS, request);
        List<CommandResult> results = new ArrayList<>();
        for (DescribeInvocationResultsResponse.Invocation.InvocationResult r : response.getInvocation().getInvocationResults()) {
            CommandStatus status = switch (r.getInvocationStatus() == null ? "" : r.getInvocationStatus()) {
                case "Success" -> CommandStatus.SUCCESS;
                case "Failed", "Error", "Timeout", "Cancelled", "Terminated", "Aborted" -> CommandStatus.FAILED;
                default -> CommandStatus.RUNNING;
            };
            results.add(new CommandResult(r.getInstanceId(), status,
                r.getExitCode() == null ? null : r.getExitCode().intValue(), r.getOutput()));
        }
        return results;
    }

    private static String json(List<String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
