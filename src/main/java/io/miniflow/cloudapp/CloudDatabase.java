package io.miniflow.cloudapp;

/** An environment's database without its password (workspace admins read that through CloudAppService). */
public record CloudDatabase(long environmentId, DatabaseKind kind, String instanceId, String host, int port,
                            String databaseName, String accountName) {
}
