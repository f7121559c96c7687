package io.miniflow.sandbox.aliyun;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What tests and demos set on the Aliyun emulator (latency, faults, timings, command outcomes, stock, versions of the
 * emulated app that fail their health check) and what it counts (calls per action, ClientToken repeats). Kept in
 * memory: a restart returns to the defaults, the resources themselves stay in the database.
 */
@Component
class AliyunSandboxControl {

    /** The faults the emulator can inject, with the HTTP status and message the platform uses for them. */
    static final Map<String, AliyunError> FAULTS = Map.of(
        "Throttling", AliyunError.badRequest("Throttling", "Request was denied due to request throttling."),
        "ServiceUnavailable", new AliyunError(503, "ServiceUnavailable",
            "The request has failed due to a temporary failure of the server."),
        "InternalError", new AliyunError(500, "InternalError",
            "The request processing has failed due to some unknown error, exception or failure."));

    /** A command outcome: the first rule whose text occurs in the command (and instance, if given) decides. */
    record CommandRule(String contains, String instanceId, int exitCode, String output) {
    }

    record ForcedFault(String action, String code) {
    }

    static final class ActionStats {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong created = new AtomicLong();
        final AtomicLong clientTokenRepeats = new AtomicLong();

        Map<String, Long> view() {
            return Map.of("calls", calls.get(), "errors", errors.get(), "created", created.get(),
                "clientTokenRepeats", clientTokenRepeats.get());
        }
    }

    private final Settings defaults;
    private volatile Settings settings;
    private final Deque<ForcedFault> forcedFaults = new ArrayDeque<>();
    private final Map<String, ActionStats> stats = new ConcurrentHashMap<>();
    private final Set<String> unhealthyVersions = ConcurrentHashMap.newKeySet();

    AliyunSandboxControl(@Value("${miniflow.sandbox.aliyun.pending-millis:2000}") long pendingMillis,
                         @Value("${miniflow.sandbox.aliyun.starting-millis:3000}") long startingMillis,
                         @Value("${miniflow.sandbox.aliyun.stopping-millis:2000}") long stoppingMillis,
                         @Value("${miniflow.sandbox.aliyun.command-millis:1000}") long commandMillis,
                         @Value("${miniflow.sandbox.aliyun.db-creating-millis:5000}") long dbCreatingMillis,
                         @Value("${miniflow.sandbox.aliyun.app-start-millis:1000}") long appStartMillis) {
        this.defaults = new Settings(0, Map.of(), pendingMillis, startingMillis, stoppingMillis, commandMillis,
            dbCreatingMillis, appStartMillis, Set.of(), List.of());
        this.settings = defaults;
    }

    /**
     * Everything settable at once; null fields in an update keep their value. appStartMillis: how long an installed
     * app runs before it answers its health check.
     */
    record Settings(long latencyMillis, Map<String, Double> faultRates, long pendingMillis, long startingMillis,
                    long stoppingMillis, long commandMillis, long dbCreatingMillis, long appStartMillis,
                    Set<String> stockOut, List<CommandRule> commandRules) {

        Settings merge(SettingsUpdate fields) {
            return new Settings(
                fields.latencyMillis() != null ? fields.latencyMillis() : latencyMillis,
                fields.faultRates() != null ? Map.copyOf(fields.faultRates()) : faultRates,
                fields.pendingMillis() != null ? fields.pendingMillis() : pendingMillis,
                fields.startingMillis() != null ? fields.startingMillis() : startingMillis,
                fields.stoppingMillis() != null ? fields.stoppingMillis() : stoppingMillis,
                fields.commandMillis() != null ? fields.commandMillis() : commandMillis,
                fields.dbCreatingMillis() != null ? fields.dbCreatingMillis() : dbCreatingMillis,
                fields.appStartMillis() != null ? fields.appStartMillis() : appStartMillis,
                fields.stockOut() != null ? Set.copyOf(fields.stockOut()) : stockOut,
                fields.commandRules() != null ? List.copyOf(fields.commandRules()) : commandRules);
        }
    }

    /** The JSON a test PUTs: any subset of the settings. */
    record SettingsUpdate(Long latencyMillis, Map<String, Double> faultRates, Long pendingMillis, Long startingMillis,
                          Long stoppingMillis, Long commandMillis, Long dbCreatingMillis, Long appStartMillis,
                          Set<String> stockOut, List<CommandRule> commandRules) {
    }

    Settings settings() {
        return settings;
    }

    synchronized Settings update(SettingsUpdate update) {
        for (String code : update.faultRates() == null ? Set.<String>of() : update.faultRates().keySet()) {
            if (!FAULTS.containsKey(code)) {
                throw new IllegalArgumentException("unknown fault " + code + "; known: " + FAULTS.keySet());
            }
        }
        settings = settings.merge(update);
        return settings;
    }

    synchronized void reset() {
        settings = defaults;
        forcedFaults.clear();
        stats.clear();
        unhealthyVersions.clear();
    }

    /** Marks a version of the emulated app as failing its health check, or as answering it again. */
    void versionHealth(String version, boolean healthy) {
        if (healthy) {
            unhealthyVersions.remove(version);
        } else {
            unhealthyVersions.add(version);
        }
    }

    boolean healthy(String version) {
        return !unhealthyVersions.contains(version);
    }

    synchronized void failNext(String action, String code, int times) {
        if (!FAULTS.containsKey(code)) {
            throw new IllegalArgumentException("unknown fault " + code + "; known: " + FAULTS.keySet());
        }
        for (int i = 0; i < times; i++) {
            forcedFaults.add(new ForcedFault(action == null || action.isBlank() ? "*" : action, code));
        }
    }

    /** A forced fault queued for this action first, else a random one by the configured rates. */
    Optional<AliyunError> faultFor(String action) {
        synchronized (this) {
            for (var it = forcedFaults.iterator(); it.hasNext(); ) {
                ForcedFault f = it.next();
                if ("*".equals(f.action()) || f.action().equals(action)) {
                    it.remove();
                    return Optional.of(copy(FAULTS.get(f.code())));
                }
            }
        }
        for (Map.Entry<String, Double> rate : settings.faultRates().entrySet()) {
            if (rate.getValue() > 0 && ThreadLocalRandom.current().nextDouble() < rate.getValue()) {
                return Optional.of(copy(FAULTS.get(rate.getKey())));
            }
        }
        return Optional.empty();
    }

    private static AliyunError copy(AliyunError template) {
        return new AliyunError(template.httpStatus(), template.code(), template.getMessage());
    }

    /** Whether creating this ECS instance type or RDS instance class is refused as sold out ("*": everything). */
    boolean outOfStock(String instanceType) {
        Set<String> out = settings.stockOut();
        return out.contains("*") || (instanceType != null && out.contains(instanceType));
    }

    /** The first command rule matching the command on this instance; without one the command decides itself. */
    Optional<CommandRule> rule(String command, String instanceId) {
        for (CommandRule rule : settings.commandRules()) {
            boolean text = rule.contains() == null || command.contains(rule.contains());
            boolean instance = rule.instanceId() == null || rule.instanceId().equals(instanceId);
            if (text && instance) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    ActionStats stats(String action) {
        return stats.computeIfAbsent(action, a -> new ActionStats());
    }

    Map<String, Map<String, Long>> statsView() {
        Map<String, Map<String, Long>> view = new TreeMap<>();
        stats.forEach((action, s) -> view.put(action, s.view()));
        return view;
    }

    Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("settings", settings);
        synchronized (this) {
            view.put("forcedFaults", new ArrayList<>(forcedFaults));
        }
        view.put("unhealthyVersions", new TreeSet<>(unhealthyVersions));
        view.put("stats", statsView());
        return view;
    }
}
