package io.miniflow.cloud;

import io.miniflow.shared.IdempotencyKey;

/**
 * What the standard plan needs from a managed MySQL (Aliyun RDS): an instance created once per key, its state and
 * connection string while it comes up, a database and an account with its privileges, and deletion. Owned by the
 * domain; the Aliyun RDS adapter implements it. Failures are thrown as {@link io.miniflow.shared.PlatformException};
 * a sold-out class is {@link CloudErrors#NO_STOCK}.
 */
public interface DatabasePort {

    /**
     * Creates the instance; the same key returns the same instance again, with the status of the first answer
     * (CREATING): {@link #describe} tells when it is RUNNING.
     */
    DatabaseInstance createInstance(InstanceSpec spec, IdempotencyKey key);

    DatabaseInstance describe(String instanceId);

    /** Creates the database; an existing one of that name is fine (a retry after a lost answer). */
    void ensureDatabase(String instanceId, String name, String characterSet);

    /**
     * Creates a normal account with the password (an existing account is left as it is) and grants it
     * {@code privilege} on the database.
     */
    void ensureAccount(String instanceId, String accountName, String password, String database, Privilege privilege);

    /** Releases the instance; one already gone is fine. */
    void deleteInstance(String instanceId);

    /** {@code instanceClass}: e.g. mysql.n2.medium.1 (2 cores, 4 GB); {@code storageGb}: 20–6000. */
    record InstanceSpec(String zoneId, String engineVersion, String instanceClass, int storageGb, String vpcId,
                        String vSwitchId, String description, String securityIps) {
    }

    enum Status { CREATING, RUNNING, DELETING, OTHER }

    /** {@code connectionString}: the host to connect to (null until the platform has one); {@code port} 3306. */
    record DatabaseInstance(String instanceId, Status status, String connectionString, int port) {
    }

    enum Privilege { READ_WRITE, READ_ONLY, DDL_ONLY, DML_ONLY, DB_OWNER }
}
