package io.miniflow.shared.crypto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * At every start, rewrites each stored secret that is not yet encrypted with the current master key: plain values
 * from before the upgrade and values under a previous key (after a rotation). Only rows that need it are written,
 * so once everything is current a start reads the columns and writes nothing.
 *
 * <p>Each row is rewritten with {@code UPDATE ... SET c = new WHERE c = old}: a value another node changed in the
 * meantime is left alone, so several nodes starting together do no harm. Values that do not decrypt (their key was
 * removed too early, or the row was altered) are counted and logged, never the values, and the start goes on: they
 * fail with the same message where they are used.
 */
@Component
public class SecretReencryption implements ApplicationRunner {

    /** What one pass did per column. */
    public record Result(Map<String, Integer> reencrypted, Map<String, Integer> unreadable) {

        public int totalReencrypted() {
            return reencrypted.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int totalUnreadable() {
            return unreadable.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(SecretReencryption.class);
    private static final int BATCH = 500;

    private final SecretBox box;
    private final JdbcTemplate jdbc;
    private final List<EncryptedColumns> owners;

    public SecretReencryption(SecretBox box, JdbcTemplate jdbc, List<EncryptedColumns> owners) {
        this.box = box;
        this.jdbc = jdbc;
        this.owners = owners;
    }

    @Override
    public void run(ApplicationArguments args) {
        reencryptAll();
    }

    public Result reencryptAll() {
        Map<String, Integer> moved = new LinkedHashMap<>();
        Map<String, Integer> unreadable = new LinkedHashMap<>();
        for (EncryptedColumns owner : owners) {
            for (EncryptedColumns.Column column : owner.encryptedColumns()) {
                int[] counts = reencrypt(column);
                moved.put(column.toString(), counts[0]);
                unreadable.put(column.toString(), counts[1]);
                if (counts[0] > 0) {
                    log.info("Re-encrypted {} rows of {} with master key '{}'", counts[0], column,
                        box.currentKeyId());
                }
                if (counts[1] > 0) {
                    log.error("{} values of {} cannot be decrypted with the configured master keys and were left as "
                        + "they are (restore the master key they name in miniflow.secrets.previous-master-keys)",
                        counts[1], column);
                }
            }
        }
        return new Result(moved, unreadable);
    }

    /** {reencrypted, unreadable} for one column. */
    private int[] reencrypt(EncryptedColumns.Column c) {
        List<String> values = jdbc.queryForList("SELECT DISTINCT " + c.column() + " FROM " + c.table() + " WHERE "
            + c.column() + " IS NOT NULL", String.class);
        List<Object[]> updates = new ArrayList<>();
        int unreadable = 0;
        for (String stored : values) {
            if (box.isCurrent(stored)) {
                continue;
            }
            try {
                updates.add(new Object[] {box.encrypt(box.decryptIfEncrypted(stored)), stored});
            } catch (SecretBoxException e) {
                unreadable++;
            }
        }
        int written = 0;
        String sql = "UPDATE " + c.table() + " SET " + c.column() + " = ? WHERE " + c.column() + " = ?";
        for (int from = 0; from < updates.size(); from += BATCH) {
            for (int rows : jdbc.batchUpdate(sql, updates.subList(from, Math.min(from + BATCH, updates.size())))) {
                // A driver may answer SUCCESS_NO_INFO (-2) for a batched statement: count it as done.
                written += rows == java.sql.Statement.SUCCESS_NO_INFO ? 1 : rows;
            }
        }
        return new int[] {written, unreadable};
    }
}
