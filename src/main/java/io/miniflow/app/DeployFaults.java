package io.miniflow.app;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * Slow and failing deploys on demand, for demos and tests of retries and incidents: set through
 * /sandbox/admin/deploy (sandbox profile only). Nothing is set by default, so deploys just work.
 */
@Component
public class DeployFaults {

    /** Matches every deploy path. */
    public static final String ANY_PATH = "*";

    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private volatile long delayMillis;

    public void failNext(String deployPath, int count) {
        failures.put(deployPath == null ? ANY_PATH : deployPath, new AtomicInteger(count));
    }

    public void setDelayMillis(long delayMillis) {
        this.delayMillis = Math.max(0, delayMillis);
    }

    public long delayMillis() {
        return delayMillis;
    }

    public void clear() {
        failures.clear();
        delayMillis = 0;
    }

    public Map<String, Integer> pendingFailures() {
        Map<String, Integer> copy = new java.util.TreeMap<>();
        failures.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** True when this deploy should fail (and counts it). */
    boolean shouldFail(String deployPath) {
        for (String key : new String[] {deployPath, ANY_PATH}) {
            AtomicInteger left = failures.get(key);
            if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return true;
            }
        }
        return false;
    }
}
