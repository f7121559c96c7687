package io.miniflow.sandbox.receiver;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

/**
 * The deliveries each named receiver got, in memory: the latest {@value #KEPT} per name, at most {@value #MAX_NAMES}
 * names (clearing one frees its name), and an optional fault that makes the next deliveries fail. Thread-safe; gone at
 * restart.
 */
@Component
class WebhookReceivers {

    static final int KEPT = 10_000;
    /** Anyone may post to a receiver: the names are bounded too, so the sandbox's memory is. */
    static final int MAX_NAMES = 200;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A request as it arrived. */
    record Request(String receivedAt, String method, String path, String query, Map<String, String> headers,
                   String body, boolean truncated) {
    }

    /** A recorded request: its index (from 0 since the receiver was last cleared) and the status it was answered. */
    record Delivery(long index, String receivedAt, String method, String path, String query,
                    Map<String, String> headers, String body, boolean truncated, int status) {
    }

    /** The kept deliveries asked for, oldest first, and how many were received since the last clear. */
    record Snapshot(long count, List<Delivery> deliveries) {
    }

    private final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();

    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("receiver name must be 1-64 characters of A-Z a-z 0-9 _ -");
        }
        return name;
    }

    /** Records a delivery; returns the status to answer it with (200, or the fault's while one is set). */
    int receive(String name, Request request) {
        return inbox(name).receive(request);
    }

    /** The kept deliveries with index ≥ since. */
    Snapshot deliveries(String name, long since) {
        Inbox inbox = inboxes.get(requireName(name));
        return inbox == null ? new Snapshot(0, List.of()) : inbox.since(since);
    }

    /** Forgets the deliveries and the fault, and frees the name. */
    void clear(String name) {
        inboxes.remove(requireName(name));
    }

    /** The next {@code count} deliveries (0: all until cleared) answer {@code status}. */
    void setFault(String name, int status, int count) {
        inbox(name).setFault(status, count);
    }

    void clearFault(String name) {
        Inbox inbox = inboxes.get(requireName(name));
        if (inbox != null) {
            inbox.setFault(0, 0);
        }
    }

    private Inbox inbox(String name) {
        requireName(name);
        Inbox inbox = inboxes.get(name);
        if (inbox != null) {
            return inbox;
        }
        if (inboxes.size() >= MAX_NAMES) {
            throw new IllegalArgumentException("the sandbox keeps at most " + MAX_NAMES
                + " receivers: clear one (DELETE /sandbox/admin/receiver/{name}) first");
        }
        return inboxes.computeIfAbsent(name, n -> new Inbox());
    }

    private static final class Inbox {

        private final ArrayDeque<Delivery> kept = new ArrayDeque<>();
        private long received;
        private int faultStatus;
        /** Deliveries the fault still applies to; 0 while a fault is set means until it is cleared. */
        private int faultRemaining;

        synchronized int receive(Request r) {
            int status = 200;
            if (faultStatus != 0) {
                status = faultStatus;
                if (faultRemaining > 0 && --faultRemaining == 0) {
                    faultStatus = 0;
                }
            }
            kept.addLast(new Delivery(received++, r.receivedAt(), r.method(), r.path(), r.query(), r.headers(),
                r.body(), r.truncated(), status));
            if (kept.size() > KEPT) {
                kept.removeFirst();
            }
            return status;
        }

        synchronized Snapshot since(long since) {
            List<Delivery> out = new ArrayList<>();
            for (Delivery d : kept) {
                if (d.index() >= since) {
                    out.add(d);
                }
            }
            return new Snapshot(received, out);
        }

        synchronized void setFault(int status, int count) {
            faultStatus = status;
            faultRemaining = status == 0 ? 0 : count;
        }
    }
}
