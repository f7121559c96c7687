package io.miniflow.sandbox.aliyun;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Cloud Assistant: RunCommand "runs" a command on Running instances; each instance's result (exit code, output) is
 * decided at once and becomes visible when the configured command time has passed. Output is Base64 unless
 * ContentEncoding=PlainText, as on the platform.
 *
 * <p>Who decides, first match wins: a control command rule matching the text (and instance); else the script's
 * {@code # xdeploy:} header, run against the instance's {@link EmulatedApps emulated app}; else success with empty
 * output. The emulator runs no shell, so Miniflow's deploy scripts carry a header line saying what they do: a line
 * starting exactly with {@code "# xdeploy: "}, an action word, then space-separated {@code key=value} pairs (values
 * hold no spaces; a pair splits on its first "=", so URLs keep {@code =, &, ?}). The first such line counts.
 * <ul>
 * <li>{@code # xdeploy: install version=<v> sha256=<64 hex> url=<http(s) url> runtime=<SPRING_BOOT|NODEJS|PHP>}:
 *     GETs the URL now (30 s timeout, streamed through SHA-256). Non-2xx or no connection: exit 22 with curl's
 *     message ({@code curl: (22) The requested URL returned error: 404}); another checksum: exit 1,
 *     {@code sha256sum: WARNING: 1 computed checksum did NOT match}; in both cases the running app stays. Success:
 *     exit 0, the instance runs {@code version}, started when the command finishes.</li>
 * <li>{@code # xdeploy: health port=<n> path=<p>}: exit 0 with {@code HTTP/1.1 200 OK} when the app runs, has run
 *     {@code appStartMillis} and its version is not marked unhealthy; else exit 7,
 *     {@code curl: (7) Failed to connect to 127.0.0.1 port <n>: Connection refused}. Judged when RunCommand is called.</li>
 * <li>{@code # xdeploy: stop}: the app stops (its version is kept), exit 0.</li>
 * </ul>
 * Install and stop output comes in three sections, each opened by a line {@code ----- xdeploy.log -----},
 * {@code ----- stdout.log -----}, {@code ----- stderr.log -----} in that order: the deploy steps with timestamps, what
 * the runtime printed, and the error (empty on success). A missing or malformed parameter or an unknown action
 * exits 2.
 */
@Component
class CloudAssistant {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ISO_INSTANT;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AliyunSandboxControl control;
    private final EmulatedApps apps;

    CloudAssistant(JdbcClient jdbc, Clock clock, AliyunSandboxControl control, EmulatedApps apps) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.control = control;
        this.apps = apps;
    }

    Map<String, Object> runCommand(RpcRequest request, EcsEmulator ecs) {
        request.required("RegionId");
        String type = request.required("Type");
        if (!List.of("RunShellScript", "RunBatScript", "RunPowerShellScript").contains(type)) {
            throw AliyunError.invalid("Type", type);
        }
        String content = request.required("CommandContent");
        if ("Base64".equalsIgnoreCase(request.get("ContentEncoding"))) {
            try {
                content = new String(Base64.getDecoder().decode(content), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw AliyunError.invalid("CommandContent", "not Base64");
            }
        }
        List<String> instanceIds = request.repeated("InstanceId");
        if (instanceIds.isEmpty()) {
            throw AliyunError.missing("InstanceId.1");
        }
        for (String instanceId : instanceIds) {
            EcsEmulator.Instance instance = ecs.require(instanceId);
            if (!"Running".equals(instance.status())) {
                throw AliyunError.badRequest("InstanceNotRunning", "The specified instance " + instanceId
                    + " is not running (" + instance.status() + ").");
            }
        }
        Instant now = clock.instant();
        String invokeId = Ids.random("t-hz0", 17);
        String commandId = Ids.random("c-hz0", 17);
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_invocation (invoke_id, command_id, command_type, command_name, command_content, created_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
            .params(invokeId, commandId, type, request.get("Name", ""), content, Timestamp.from(now)).update();
        Instant finish = now.plusMillis(control.settings().commandMillis());
        Optional<EmulatedApps.Command> header = XdeployHeader.in(content).map(h -> apps.command(h, finish));
        for (String instanceId : instanceIds) {
            EmulatedApps.Outcome outcome = control.rule(content, instanceId)
                .map(rule -> new EmulatedApps.Outcome(rule.exitCode(), rule.output()))
                .or(() -> header.map(command -> command.on(instanceId)))
                .orElse(new EmulatedApps.Outcome(0, ""));
            jdbc.sql("""
                    INSERT INTO sandbox_aliyun_invocation_result (invoke_id, instance_id, exit_code, output, started_at, finish_at)
                    VALUES (?, ?, ?, ?, ?, ?)""")
                .params(invokeId, instanceId, outcome.exitCode(), outcome.output() == null ? "" : outcome.output(),
                    Timestamp.from(now), Timestamp.from(finish)).update();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("CommandId", commandId);
        body.put("InvokeId", invokeId);
        return body;
    }

    private record Result(String invokeId, String instanceId, int exitCode, String output, Instant startedAt,
                          Instant finishAt, String commandId, String type, String name, String content,
                          Instant createdAt) {
    }

    private List<Result> results(String invokeId, String instanceId) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (invokeId != null) {
            where.append(" AND r.invoke_id = ?");
            params.add(invokeId);
        }
        if (instanceId != null) {
            where.append(" AND r.instance_id = ?");
            params.add(instanceId);
        }
        return jdbc.sql("""
                SELECT r.invoke_id, r.instance_id, r.exit_code, r.output, r.started_at, r.finish_at,
                       i.command_id, i.command_type, i.command_name, i.command_content, i.created_at
                FROM sandbox_aliyun_invocation_result r JOIN sandbox_aliyun_invocation i ON i.invoke_id = r.invoke_id"""
                + where + " ORDER BY r.id")
            .params(params)
            .query((rs, n) -> new Result(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getTimestamp(11).toInstant()))
            .list();
    }

    Map<String, Object> describeInvocationResults(RpcRequest request) {
        String invokeId = request.get("InvokeId");
        boolean plain = "PlainText".equalsIgnoreCase(request.get("ContentEncoding"));
        List<Map<String, Object>> items = new ArrayList<>();
        for (Result r : results(invokeId, request.get("InstanceId"))) {
            items.add(resultView(r, plain, true));
        }
        Map<String, Object> invocation = new LinkedHashMap<>();
        invocation.put("PageSize", request.integer("PageSize", 10));
        invocation.put("PageNumber", request.integer("PageNumber", 1));
        invocation.put("TotalCount", items.size());
        invocation.put("InvocationResults", Map.of("InvocationResult", items));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Invocation", invocation);
        return body;
    }

    Map<String, Object> describeInvocations(RpcRequest request) {
        boolean plain = "PlainText".equalsIgnoreCase(request.get("ContentEncoding"));
        boolean includeOutput = request.flag("IncludeOutput");
        Map<String, List<Result>> byInvocation = new LinkedHashMap<>();
        for (Result r : results(request.get("InvokeId"), request.get("InstanceId"))) {
            byInvocation.computeIfAbsent(r.invokeId(), k -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> invocations = new ArrayList<>();
        byInvocation.forEach((invokeId, results) -> {
            Result first = results.get(0);
            List<Map<String, Object>> instances = new ArrayList<>();
            boolean running = false;
            boolean failed = false;
            for (Result r : results) {
                Map<String, Object> view = resultView(r, plain, includeOutput);
                instances.add(view);
                running |= "Running".equals(view.get("InvocationStatus"));
                failed |= "Failed".equals(view.get("InvocationStatus"));
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("InvokeId", invokeId);
            v.put("CommandId", first.commandId());
            v.put("CommandType", first.type());
            v.put("CommandName", first.name());
            v.put("CommandContent", encode(first.content(), plain));
            v.put("CreationTime", SECONDS.format(first.createdAt()));
            v.put("InvocationStatus", running ? "Running" : failed ? "Failed" : "Success");
            v.put("InvokeStatus", running ? "Running" : failed ? "Failed" : "Finished");
            v.put("Timed", false);
            v.put("RepeatMode", "Once");
            v.put("InvokeInstances", Map.of("InvokeInstance", instances));
            invocations.add(v);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("PageSize", request.integer("PageSize", 10));
        body.put("PageNumber", request.integer("PageNumber", 1));
        body.put("TotalCount", invocations.size());
        body.put("Invocations", Map.of("Invocation", invocations));
        return body;
    }

    private Map<String, Object> resultView(Result r, boolean plain, boolean withOutput) {
        boolean finished = !clock.instant().isBefore(r.finishAt());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("InvokeId", r.invokeId());
        v.put("CommandId", r.commandId());
        v.put("InstanceId", r.instanceId());
        v.put("StartTime", SECONDS.format(r.startedAt()));
        v.put("Repeats", 1);
        v.put("Dropped", 0);
        if (!finished) {
            v.put("InvocationStatus", "Running");
            v.put("InstanceInvokeStatus", "Running");
            v.put("InvokeRecordStatus", "Running");
            v.put("Output", "");
            return v;
        }
        String status = r.exitCode() == 0 ? "Success" : "Failed";
        v.put("InvocationStatus", status);
        v.put("InstanceInvokeStatus", "Finished");
        v.put("InvokeRecordStatus", "Finished");
        v.put("ExitCode", r.exitCode());
        v.put("FinishedTime", SECONDS.format(r.finishAt()));
        v.put("FinishTime", SECONDS.format(r.finishAt()));
        v.put("StopTime", "");
        v.put("ErrorCode", r.exitCode() == 0 ? "" : "NonZeroExitCode");
        v.put("ErrorInfo", r.exitCode() == 0 ? "" : "the command exited with code " + r.exitCode());
        v.put("Output", withOutput ? encode(r.output(), plain) : "");
        return v;
    }

    private static String encode(String text, boolean plain) {
        return plain ? text : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
