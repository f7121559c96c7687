package io.miniflow.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import io.miniflow.shared.crypto.EncryptedColumns;
import io.miniflow.shared.crypto.SecretBox;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** mf_notify_subscription and mf_notify_delivery (V46). URLs and secrets are stored encrypted. */
@Repository
class NotifyRepository implements EncryptedColumns {

    private static final String DELIVERY_COLUMNS = "d.id, d.subscription_id, d.workspace, d.event_id, d.event_type,"
        + " d.subject, d.payload, d.status, d.attempts, d.next_attempt_at, d.response_code, d.last_error, d.created_at,"
        + " d.updated_at, d.delivered_at, s.channel";

    private final JdbcClient jdbc;
    private final SecretBox secrets;

    NotifyRepository(JdbcClient jdbc, SecretBox secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    @Override
    public List<Column> encryptedColumns() {
        return List.of(new Column("mf_notify_subscription", "url"), new Column("mf_notify_subscription", "secret"));
    }

    // --- subscriptions

    long insertSubscription(String workspace, Channel channel, String url, String secret, List<String> events,
                            String createdBy, Instant now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO mf_notify_subscription (workspace, channel, url, secret, events, created_by, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
            .params(workspace, channel.name(), secrets.encrypt(url), secret == null ? null : secrets.encrypt(secret),
                String.join(",", events), createdBy, Timestamp.from(now))
            .update(key, "id");
        return key.getKey().longValue();
    }

    /** The workspace's subscriptions that are not removed, oldest first. */
    List<Subscription> activeSubscriptions(String workspace) {
        return jdbc.sql("SELECT * FROM mf_notify_subscription WHERE workspace = ? AND deleted_at IS NULL ORDER BY id")
            .param(workspace).query(this::subscription).list();
    }

    /**
     * Ids of the workspace's subscriptions to this event. Reads no URL or secret: an event is recorded even when
     * a value cannot be decrypted (it then fails at delivery, in the log, not in the feature's transaction).
     */
    List<Long> subscribersOf(String workspace, String eventType) {
        return jdbc.sql("SELECT id, events FROM mf_notify_subscription WHERE workspace = ? AND deleted_at IS NULL"
                + " ORDER BY id").param(workspace)
            .query((rs, i) -> Arrays.asList(rs.getString("events").split(",")).contains(eventType)
                ? rs.getLong("id") : null)
            .list().stream().filter(java.util.Objects::nonNull).toList();
    }

    Optional<Subscription> findSubscription(long id) {
        return jdbc.sql("SELECT * FROM mf_notify_subscription WHERE id = ?").param(id).query(this::subscription)
            .optional();
    }

    /** Marks it removed and cancels what it still had to deliver; false if it was removed already. */
    boolean deleteSubscription(long id, Instant now) {
        boolean removed = jdbc.sql("UPDATE mf_notify_subscription SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL")
            .params(Timestamp.from(now), id).update() == 1;
        if (removed) {
            jdbc.sql("UPDATE mf_notify_delivery SET status = ?, updated_at = ? WHERE subscription_id = ? AND status = ?")
                .params(DeliveryStatus.CANCELLED.name(), Timestamp.from(now), id, DeliveryStatus.PENDING.name())
                .update();
        }
        return removed;
    }

    // --- the outbox

    void insertDelivery(long subscriptionId, String workspace, String eventId, String eventType, String subject,
                        String payload, Instant now) {
        jdbc.sql("INSERT INTO mf_notify_delivery (subscription_id, workspace, event_id, event_type, subject, payload,"
                + " status, attempts, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")
            .params(subscriptionId, workspace, eventId, eventType, subject, payload, DeliveryStatus.PENDING.name(),
                Timestamp.from(now), Timestamp.from(now), Timestamp.from(now))
            .update();
    }

    /** Ids of deliveries due: pending ones whose time has come, and claims a node left behind (it stopped). */
    List<Long> due(Instant now, int limit) {
        Timestamp t = Timestamp.from(now);
        return jdbc.sql("SELECT id FROM mf_notify_delivery WHERE (status = ? AND next_attempt_at <= ?)"
                + " OR (status = ? AND claimed_until < ?) ORDER BY next_attempt_at, id LIMIT ?")
            .params(DeliveryStatus.PENDING.name(), t, DeliveryStatus.SENDING.name(), t, limit)
            .query(Long.class).list();
    }

    /**
     * Takes the delivery for this node until {@code until}, if it is still due: one conditional UPDATE, so of two
     * nodes that saw the same row only one gets it. Counts the attempt.
     */
    boolean claim(long id, String node, Instant now, Instant until) {
        Timestamp t = Timestamp.from(now);
        return jdbc.sql("UPDATE mf_notify_delivery SET status = ?, claimed_by = ?, claimed_until = ?,"
                + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND ((status = ? AND next_attempt_at <= ?)"
                + " OR (status = ? AND claimed_until < ?))")
            .params(DeliveryStatus.SENDING.name(), node, Timestamp.from(until), t, id, DeliveryStatus.PENDING.name(), t,
                DeliveryStatus.SENDING.name(), t)
            .update() == 1;
    }

    /** The attempt's outcome, written only while this node still holds the claim. */
    boolean recordAttempt(long id, String node, DeliveryStatus status, Integer responseCode, String error,
                          Instant nextAttempt, Instant now) {
        return jdbc.sql("UPDATE mf_notify_delivery SET status = ?, response_code = ?, last_error = ?,"
                + " next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ?, delivered_at = ?"
                + " WHERE id = ? AND status = ? AND claimed_by = ?")
            .params(status.name(), responseCode, error, Timestamp.from(nextAttempt), Timestamp.from(now),
                status == DeliveryStatus.DELIVERED ? Timestamp.from(now) : null, id, DeliveryStatus.SENDING.name(), node)
            .update() == 1;
    }

    /** Due again now with a fresh count of attempts: an admin asked (a delivery being sent is left alone). */
    boolean resend(long id, Instant now) {
        return jdbc.sql("UPDATE mf_notify_delivery SET status = ?, attempts = 0, next_attempt_at = ?, updated_at = ?"
                + " WHERE id = ? AND status IN (?, ?, ?) AND EXISTS (SELECT 1 FROM mf_notify_subscription s"
                + " WHERE s.id = mf_notify_delivery.subscription_id AND s.deleted_at IS NULL)")
            .params(DeliveryStatus.PENDING.name(), Timestamp.from(now), Timestamp.from(now), id,
                DeliveryStatus.DELIVERED.name(), DeliveryStatus.FAILED.name(), DeliveryStatus.PENDING.name())
            .update() == 1;
    }

    Optional<Delivery> findDelivery(long id) {
        return jdbc.sql("SELECT " + DELIVERY_COLUMNS + " FROM mf_notify_delivery d JOIN mf_notify_subscription s"
                + " ON s.id = d.subscription_id WHERE d.id = ?").param(id).query(NotifyRepository::delivery).optional();
    }

    /** The latest deliveries of a subscription, newest first. */
    List<Delivery> latestDeliveries(long subscriptionId, int limit) {
        return jdbc.sql("SELECT " + DELIVERY_COLUMNS + " FROM mf_notify_delivery d JOIN mf_notify_subscription s"
                + " ON s.id = d.subscription_id WHERE d.subscription_id = ? ORDER BY d.id DESC LIMIT ?")
            .params(subscriptionId, limit).query(NotifyRepository::delivery).list();
    }

    /** A workspace's delivery log, newest first; {@code event} matches the event type or the subject. */
    PageResult<Delivery> searchDeliveries(String workspace, String event, DeliveryStatus status, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE d.workspace = ?");
        List<Object> args = new ArrayList<>(List.of(workspace));
        if (status != null) {
            where.append(" AND d.status = ?");
            args.add(status.name());
        }
        if (event != null && !event.isBlank()) {
            String like = "%" + event.trim().toLowerCase(Locale.ROOT) + "%";
            where.append(" AND (LOWER(d.event_type) LIKE ? OR LOWER(d.subject) LIKE ?)");
            args.add(like);
            args.add(like);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM mf_notify_delivery d" + where).params(args).query(Long.class)
            .single();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size());
        pageArgs.add(page.offset());
        List<Delivery> items = jdbc.sql("SELECT " + DELIVERY_COLUMNS + " FROM mf_notify_delivery d JOIN"
                + " mf_notify_subscription s ON s.id = d.subscription_id" + where + " ORDER BY d.id DESC LIMIT ? OFFSET ?")
            .params(pageArgs).query(NotifyRepository::delivery).list();
        return new PageResult<>(items, page, total);
    }

    private Subscription subscription(ResultSet rs, int i) throws SQLException {
        String secret = rs.getString("secret");
        return new Subscription(rs.getLong("id"), rs.getString("workspace"), Channel.valueOf(rs.getString("channel")),
            secrets.decryptIfEncrypted(rs.getString("url")), secret == null ? null : secrets.decryptIfEncrypted(secret),
            Arrays.stream(rs.getString("events").split(",")).filter(e -> !e.isBlank()).toList(),
            rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "deleted_at"));
    }

    private static Delivery delivery(ResultSet rs, int i) throws SQLException {
        int code = rs.getInt("response_code");
        Integer responseCode = rs.wasNull() ? null : code;
        return new Delivery(rs.getLong("id"), rs.getLong("subscription_id"), rs.getString("workspace"),
            rs.getString("event_id"), rs.getString("event_type"), rs.getString("subject"), rs.getString("payload"),
            DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), instant(rs, "next_attempt_at"),
            responseCode, rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "updated_at"),
            instant(rs, "delivered_at"), Channel.valueOf(rs.getString("channel")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
