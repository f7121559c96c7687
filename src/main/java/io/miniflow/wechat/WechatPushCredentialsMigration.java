package io.miniflow.wechat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

import io.miniflow.shared.NumberedJavaMigration;

/**
 * Flyway migration 23: removes the verify tickets and authorization codes from pushes recorded before
 * {@link WechatCallbackService} stopped keeping them. Once, with the same pattern as new pushes; in Java so both
 * databases get the exact same rewrite (their regular expressions differ).
 */
@Component
public class WechatPushCredentialsMigration extends NumberedJavaMigration {

    private static final int BATCH = 500;

    WechatPushCredentialsMigration() {
        super("23", "recorded wechat pushes without credentials");
    }

    @Override
    public void migrate(Context context) throws Exception {
        // Only the kinds that carry one: ticket pushes, and authorization pushes (code and pre-auth code).
        List<Object[]> changed = new ArrayList<>();
        try (PreparedStatement select = context.getConnection().prepareStatement("SELECT id, body FROM mf_wechat_push "
                + "WHERE info_type IN ('component_verify_ticket', 'authorized', 'updateauthorized')");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String body = rows.getString(2);
                String cleaned = WechatCallbackService.withoutCredentials(body);
                if (!cleaned.equals(body)) {
                    changed.add(new Object[] {rows.getLong(1), cleaned});
                }
            }
        }
        try (PreparedStatement update = context.getConnection()
                .prepareStatement("UPDATE mf_wechat_push SET body = ? WHERE id = ?")) {
            for (int i = 0; i < changed.size(); i++) {
                update.setString(1, (String) changed.get(i)[1]);
                update.setLong(2, (Long) changed.get(i)[0]);
                update.addBatch();
                if ((i + 1) % BATCH == 0 || i == changed.size() - 1) {
                    update.executeBatch();
                }
            }
        }
    }
}
