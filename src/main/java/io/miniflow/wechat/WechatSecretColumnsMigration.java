package io.miniflow.wechat;

import java.sql.Statement;
import java.util.List;
import java.util.Locale;

import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

import io.miniflow.shared.NumberedJavaMigration;

/**
 * Flyway migration 22: widens the columns that now hold encrypted secrets (WechatStore). An encrypted value is about
 * 4/3 of the plain one plus 40 characters, and WeChat's access tokens come close to 255 already. Written in Java
 * because H2 and MySQL/MariaDB have no common syntax for changing a column's type; Spring Boot hands every
 * {@link JavaMigration} bean to Flyway next to the SQL files in db/migration.
 */
@Component
public class WechatSecretColumnsMigration extends NumberedJavaMigration {

    /** table, column, NOT NULL? — MySQL's MODIFY restates the whole column, so nullability is kept explicitly. */
    private record Widened(String table, String column, boolean notNull) {
    }

    private static final List<Widened> COLUMNS = List.of(new Widened("mf_wechat_ticket", "ticket", true),
        new Widened("mf_wechat_token", "token", false), new Widened("mf_wechat_authorizer", "refresh_token", false));
    static final int LENGTH = 1024;

    WechatSecretColumnsMigration() {
        super("22", "wider wechat secret columns");
    }

    @Override
    public void migrate(Context context) throws Exception {
        String product = context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        try (Statement statement = context.getConnection().createStatement()) {
            for (Widened c : COLUMNS) {
                if (product.contains("h2")) {
                    statement.execute("ALTER TABLE " + c.table() + " ALTER COLUMN " + c.column()
                        + " SET DATA TYPE VARCHAR(" + LENGTH + ")");
                } else if (product.contains("mysql") || product.contains("mariadb")) {
                    statement.execute("ALTER TABLE " + c.table() + " MODIFY COLUMN " + c.column() + " VARCHAR("
                        + LENGTH + ")" + (c.notNull() ? " NOT NULL" : " NULL"));
                } else {
                    throw new IllegalStateException("no column change written for database " + product);
                }
            }
        }
    }
}
