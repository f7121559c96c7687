package io.miniflow.sandbox.aliyun;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * ECS (API 2014-05-26): instances with the platform's state machine. RunInstances and StartInstance go
 * Pending/Starting → Running, StopInstance Stopping → Stopped, CreateInstance ends Stopped; transitions are kept as a
 * timed plan on the row and applied when the instance is next read, so no timer runs and a restart loses nothing.
 * Stopping, rebooting or deleting an instance stops its {@link EmulatedApps emulated app}; starting does not restart it.
 */
@Component
class EcsEmulator implements RpcProduct {

    static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AliyunSandboxControl control;
    private final ClientTokens tokens;
    private final CloudAssistant assistant;
    private final EmulatedApps apps;
    private final ObjectMapper json;

    EcsEmulator(JdbcClient jdbc, Clock clock, AliyunSandboxControl control, ClientTokens tokens,
                CloudAssistant assistant, EmulatedApps apps, ObjectMapper json) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.control = control;
        this.tokens = tokens;
        this.assistant = assistant;
        this.apps = apps;
        this.json = json;
    }

    @Override
    public String version() {
        return "2014-05-26";
    }

    @Override
    public String hostId() {
        return "ecs.aliyuncs.com";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        return switch (request.action()) {
            case "RunInstances" -> tokens.once("Ecs", request, () -> runInstances(request));
            case "CreateInstance" -> tokens.once("Ecs", request, () -> createInstance(request));
            case "DescribeInstances" -> describeInstances(request);
            case "DescribeInstanceStatus" -> describeInstanceStatus(request);
            case "StartInstance" -> startInstance(request);
            case "StopInstance" -> stopInstance(request);
            case "RebootInstance" -> rebootInstance(request);
            case "DeleteInstance" -> deleteInstance(request);
            case "RunCommand" -> tokens.once("Ecs", request, () -> assistant.runCommand(request, this));
            case "DescribeInvocations" -> assistant.describeInvocations(request);
            case "DescribeInvocationResults" -> assistant.describeInvocationResults(request);
            default -> throw RpcProduct.unknownAction(request.action());
        };
    }

    /** One instance as stored, with the transitions still to come. */
    record Instance(String instanceId, String regionId, String zoneId, String name, String hostName,
                    String description, String imageId, String instanceType, String securityGroupId,
                    String vswitchId, String chargeType, int bandwidthOut, String privateIp, String publicIp,
                    String status, String plan, Map<String, String> tags, Instant createdAt) {
    }

    private Map<String, Object> runInstances(RpcRequest request) {
        int amount = request.integer("Amount", 1);
        if (amount < 1 || amount > 100) {
            throw AliyunError.invalid("Amount", String.valueOf(amount));
        }
        List<String> ids = create(request, amount, true);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("InstanceIdSets", Map.of("InstanceIdSet", ids));
        return body;
    }

    private Map<String, Object> createInstance(RpcRequest request) {
        List<String> ids = create(request, 1, false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("InstanceId", ids.get(0));
        return body;
    }

    private List<String> create(RpcRequest request, int amount, boolean start) {
        String regionId = request.required("RegionId");
        String imageId = request.get("ImageId");
        String instanceType = request.get("InstanceType");
        if (request.get("LaunchTemplateId") == null && request.get("LaunchTemplateName") == null) {
            if (imageId == null) {
                throw AliyunError.missing("ImageId");
            }
            if (instanceType == null) {
                throw AliyunError.missing("InstanceType");
            }
        }
        if (control.outOfStock(instanceType)) {
            throw AliyunError.forbidden("OperationDenied.NoStock", "The requested resource is sold out in the "
                + "specified zone; try other types of resources or other regions and zones.");
        }
        if (request.flag("DryRun")) {
            throw AliyunError.badRequest("DryRunOperation", "Request validation has been passed with DryRun flag set.");
        }
        int bandwidthOut = start ? request.integer("InternetMaxBandwidthOut", 0) : 0;
        AliyunSandboxControl.Settings timing = control.settings();
        Instant now = clock.instant();
        String plan = start
            ? "Starting@" + now.plusMillis(timing.pendingMillis()).toEpochMilli() + ";Running@"
                + now.plusMillis(timing.pendingMillis() + timing.startingMillis()).toEpochMilli()
            : "Stopped@" + now.plusMillis(timing.pendingMillis()).toEpochMilli();
        String tags = write(request.tags());
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < amount; i++) {
            String id = Ids.random("i-bp1", 17);
            jdbc.sql("""
                    INSERT INTO sandbox_aliyun_instance (instance_id, region_id, zone_id, instance_name, host_name,
                      description, image_id, instance_type, security_group_id, vswitch_id, charge_type, bandwidth_out,
                      private_ip, public_ip, status, plan, tags, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Pending', ?, ?, ?)""")
                .params(id, regionId, request.get("ZoneId", regionId + "-h"), request.get("InstanceName", id),
                    request.get("HostName", "iZ" + id.substring(2) + "Z"), request.get("Description"), imageId,
                    instanceType, request.get("SecurityGroupId"), request.get("VSwitchId"),
                    request.get("InstanceChargeType", "PostPaid"), bandwidthOut, Ids.address("172.16"),
                    bandwidthOut > 0 ? Ids.address("47.96") : null, plan, tags, Timestamp.from(now))
                .update();
            ids.add(id);
        }
        control.stats(request.action()).created.addAndGet(amount);
        return ids;
    }

    private Map<String, Object> describeInstances(RpcRequest request) {
        String regionId = request.required("RegionId");
        List<String> ids = request.get("InstanceIds") == null ? null : readList(request.get("InstanceIds"));
        Map<String, String> tags = request.tags();
        String status = request.get("Status");
        String name = request.get("InstanceName");
        List<Instance> matching = all(regionId).stream()
            .filter(i -> ids == null || ids.contains(i.instanceId()))
            .filter(i -> status == null || status.equals(i.status()))
            .filter(i -> name == null || name.equals(i.name()))
            .filter(i -> tags.entrySet().stream().allMatch(t -> t.getValue().equals(i.tags().get(t.getKey()))
                || (t.getValue().isEmpty() && i.tags().containsKey(t.getKey()))))
            .toList();
        List<Map<String, Object>> page = new ArrayList<>();
        Map<String, Object> body = paged(request, matching, i -> page.add(view(i)));
        body.put("Instances", Map.of("Instance", page));
        return body;
    }

    private Map<String, Object> describeInstanceStatus(RpcRequest request) {
        String regionId = request.required("RegionId");
        List<String> ids = request.repeated("InstanceId");
        List<Instance> matching = all(regionId).stream()
            .filter(i -> ids.isEmpty() || ids.contains(i.instanceId())).toList();
        List<Map<String, Object>> page = new ArrayList<>();
        Map<String, Object> body = paged(request, matching,
            i -> page.add(Map.of("InstanceId", i.instanceId(), "Status", i.status())));
        body.put("InstanceStatuses", Map.of("InstanceStatus", page));
        return body;
    }

    private static <T> Map<String, Object> paged(RpcRequest request, List<T> items, java.util.function.Consumer<T> add) {
        int pageNumber = Math.max(1, request.integer("PageNumber", 1));
        int pageSize = request.integer("PageSize", 10);
        if (pageSize < 1 || pageSize > 100) {
            throw AliyunError.invalid("PageSize", String.valueOf(pageSize));
        }
        items.stream().skip((long) (pageNumber - 1) * pageSize).limit(pageSize).forEach(add);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TotalCount", items.size());
        body.put("PageNumber", pageNumber);
        body.put("PageSize", pageSize);
        return body;
    }

    private Map<String, Object> startInstance(RpcRequest request) {
        Instance instance = require(request.required("InstanceId"));
        expect(instance, "Stopped");
        Instant now = clock.instant();
        setStatus(instance.instanceId(), "Starting",
            "Running@" + now.plusMillis(control.settings().startingMillis()).toEpochMilli());
        return new LinkedHashMap<>();
    }

    private Map<String, Object> stopInstance(RpcRequest request) {
        Instance instance = require(request.required("InstanceId"));
        expect(instance, "Running");
        Instant now = clock.instant();
        setStatus(instance.instanceId(), "Stopping",
            "Stopped@" + now.plusMillis(control.settings().stoppingMillis()).toEpochMilli());
        apps.instanceStopped(instance.instanceId());
        return new LinkedHashMap<>();
    }

    private Map<String, Object> rebootInstance(RpcRequest request) {
        Instance instance = require(request.required("InstanceId"));
        expect(instance, "Running");
        AliyunSandboxControl.Settings timing = control.settings();
        Instant now = clock.instant();
        setStatus(instance.instanceId(), "Stopping",
            "Starting@" + now.plusMillis(timing.stoppingMillis()).toEpochMilli() + ";Running@"
                + now.plusMillis(timing.stoppingMillis() + timing.startingMillis()).toEpochMilli());
        apps.instanceStopped(instance.instanceId());
        return new LinkedHashMap<>();
    }

    private Map<String, Object> deleteInstance(RpcRequest request) {
        Instance instance = require(request.required("InstanceId"));
        boolean force = request.flag("Force");
        boolean allowed = "Stopped".equals(instance.status()) || ("Running".equals(instance.status()) && force);
        if (!allowed) {
            throw AliyunError.incorrectInstanceStatus(instance.instanceId(), instance.status());
        }
        if (request.flag("DryRun")) {
            throw AliyunError.badRequest("DryRunOperation", "Request validation has been passed with DryRun flag set.");
        }
        jdbc.sql("DELETE FROM sandbox_aliyun_instance WHERE instance_id = ?").param(instance.instanceId()).update();
        apps.instanceDeleted(instance.instanceId());
        return new LinkedHashMap<>();
    }

    private static void expect(Instance instance, String status) {
        if (!status.equals(instance.status())) {
            throw AliyunError.incorrectInstanceStatus(instance.instanceId(), instance.status());
        }
    }

    private void setStatus(String instanceId, String status, String plan) {
        jdbc.sql("UPDATE sandbox_aliyun_instance SET status = ?, plan = ? WHERE instance_id = ?")
            .params(status, plan, instanceId).update();
    }

    Instance require(String instanceId) {
        return find(instanceId).orElseThrow(() -> AliyunError.notFound("InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist. (" + instanceId + ")"));
    }

    /** The instance with every transition that is due applied. */
    Optional<Instance> find(String instanceId) {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_instance WHERE instance_id = ?").param(instanceId)
            .query(this::row).optional().map(this::advance);
    }

    private List<Instance> all(String regionId) {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_instance WHERE region_id = ? ORDER BY id").param(regionId)
            .query(this::row).list().stream().map(this::advance).toList();
    }

    private Instance advance(Instance instance) {
        if (instance.plan() == null || instance.plan().isEmpty()) {
            return instance;
        }
        long now = clock.millis();
        String status = instance.status();
        List<String> rest = new ArrayList<>();
        for (String step : instance.plan().split(";")) {
            String[] parts = step.split("@");
            if (rest.isEmpty() && Long.parseLong(parts[1]) <= now) {
                status = parts[0];
            } else {
                rest.add(step);
            }
        }
        String plan = String.join(";", rest);
        if (status.equals(instance.status())) {
            return instance;
        }
        setStatus(instance.instanceId(), status, plan.isEmpty() ? null : plan);
        return new Instance(instance.instanceId(), instance.regionId(), instance.zoneId(), instance.name(),
            instance.hostName(), instance.description(), instance.imageId(), instance.instanceType(),
            instance.securityGroupId(), instance.vswitchId(), instance.chargeType(), instance.bandwidthOut(),
            instance.privateIp(), instance.publicIp(), status, plan, instance.tags(), instance.createdAt());
    }

    private Map<String, Object> view(Instance i) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("InstanceId", i.instanceId());
        v.put("InstanceName", i.name());
        v.put("HostName", i.hostName());
        v.put("Description", i.description() == null ? "" : i.description());
        v.put("ImageId", i.imageId());
        v.put("InstanceType", i.instanceType());
        v.put("RegionId", i.regionId());
        v.put("ZoneId", i.zoneId());
        v.put("Status", i.status());
        v.put("CreationTime", MINUTES.format(i.createdAt()));
        v.put("InstanceChargeType", i.chargeType());
        v.put("InternetChargeType", "PayByTraffic");
        v.put("InternetMaxBandwidthOut", i.bandwidthOut());
        v.put("InstanceNetworkType", "vpc");
        v.put("OSType", "linux");
        v.put("Cpu", 2);
        v.put("Memory", 4096);
        v.put("PublicIpAddress", Map.of("IpAddress", i.publicIp() == null ? List.of() : List.of(i.publicIp())));
        v.put("InnerIpAddress", Map.of("IpAddress", List.of()));
        v.put("VpcAttributes", Map.of("VpcId", "vpc-sandbox", "VSwitchId", i.vswitchId() == null ? "" : i.vswitchId(),
            "PrivateIpAddress", Map.of("IpAddress", List.of(i.privateIp()))));
        v.put("SecurityGroupIds", Map.of("SecurityGroupId",
            i.securityGroupId() == null ? List.of() : List.of(i.securityGroupId())));
        List<Map<String, String>> tags = new ArrayList<>();
        i.tags().forEach((k, val) -> tags.add(Map.of("TagKey", k, "TagValue", val)));
        v.put("Tags", Map.of("Tag", tags));
        return v;
    }

    private Instance row(ResultSet rs, int n) throws SQLException {
        return new Instance(rs.getString("instance_id"), rs.getString("region_id"), rs.getString("zone_id"),
            rs.getString("instance_name"), rs.getString("host_name"), rs.getString("description"),
            rs.getString("image_id"), rs.getString("instance_type"), rs.getString("security_group_id"),
            rs.getString("vswitch_id"), rs.getString("charge_type"), rs.getInt("bandwidth_out"),
            rs.getString("private_ip"), rs.getString("public_ip"), rs.getString("status"), rs.getString("plan"),
            readMap(rs.getString("tags")), rs.getTimestamp("created_at").toInstant());
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> readMap(String text) {
        try {
            return text == null ? Map.of() : json.readValue(text, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> readList(String text) {
        try {
            return json.readValue(text, new TypeReference<List<String>>() { });
        } catch (JsonProcessingException e) {
            throw AliyunError.invalid("InstanceIds", text);
        }
    }
}
