package io.miniflow.shared;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Flyway migration written in Java (for what H2 and MySQL cannot share in SQL), numbered with the SQL ones in
 * db/migration. Its subclasses are Spring beans: Spring Boot hands them to Flyway.
 */
public abstract class NumberedJavaMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;

    protected NumberedJavaMigration(String version, String description) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
    }

    @Override
    public MigrationVersion getVersion() {
        return version;
    }

    @Override
    public String getDescription() {
        return description;
    }

    /** Java migrations have no file to checksum; a change to one is a new migration. */
    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }
}
