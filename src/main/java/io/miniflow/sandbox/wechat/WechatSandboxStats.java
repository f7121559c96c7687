package io.miniflow.sandbox.wechat;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.miniflow.sandbox.wechat.WechatSandboxStore.Stat;

import jakarta.annotation.PreDestroy;

import org.springframework.stereotype.Component;

/**
 * Calls per API and appid, and how many repeated an already-successful commit, submit or release. Counted in memory,
 * because writing a row per call was a large share of what a call cost; the counts are saved to
 * {@code sandbox_wechat_stat} every second (see the scheduler) and when the emulator stops, so a restart continues
 * them. Read back from memory, so the control API always answers the exact counts.
 */
@Component
class WechatSandboxStats {

    private record Key(String api, String appId) {
    }

    private static final class Counts {
        final LongAdder calls = new LongAdder();
        final LongAdder repeats = new LongAdder();
    }

    private final WechatSandboxStore store;
    private final Map<Key, Counts> counts = new ConcurrentHashMap<>();
    private final Set<Key> unsaved = ConcurrentHashMap.newKeySet();

    WechatSandboxStats(WechatSandboxStore store) {
        this.store = store;
        for (Stat saved : store.stats()) {
            Counts c = counter(new Key(saved.api(), saved.appId()));
            c.calls.add(saved.calls());
            c.repeats.add(saved.repeats());
        }
    }

    void count(String api, String appId, boolean repeat) {
        Key key = new Key(api, appId);
        Counts c = counter(key);
        c.calls.increment();
        if (repeat) {
            c.repeats.increment();
        }
        unsaved.add(key);
    }

    /** Every (api, appid) counted so far, ordered by api and appid. */
    List<Stat> all() {
        return counts.entrySet().stream()
            .map(e -> new Stat(e.getKey().api(), e.getKey().appId(), e.getValue().calls.sum(),
                e.getValue().repeats.sum()))
            .sorted(Comparator.comparing(Stat::api).thenComparing(Stat::appId))
            .toList();
    }

    synchronized void reset() {
        counts.clear();
        unsaved.clear();
        store.resetStats();
    }

    /** Writes the counts that changed since the last save. */
    @PreDestroy
    synchronized void save() {
        for (Key key : List.copyOf(unsaved)) {
            unsaved.remove(key);
            Counts c = counts.get(key);
            if (c != null) {
                store.saveStat(new Stat(key.api(), key.appId(), c.calls.sum(), c.repeats.sum()));
            }
        }
    }

    private Counts counter(Key key) {
        return counts.computeIfAbsent(key, k -> new Counts());
    }
}
