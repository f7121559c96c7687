package io.miniflow;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Row count and a content checksum of every Miniflow table (mf_*), plus how many executions and variables the engine
 * has, so a test can prove a refused request changed nothing.
 *
 * <p>Left out are the tables that record talking to WeChat rather than what a request asked for: asking the
 * template library (which a release start must do before it can refuse an unknown template) counts a call in
 * mf_rate_window and may renew a token in mf_wechat_token, and the platform pushes tickets (mf_wechat_ticket,
 * mf_wechat_push) whenever it likes. mf_openapi_nonce is emptied of old nonces by a scheduler every minute.
 */
public record DatabaseSnapshot(Map<String, Long> counts, Map<String, String> checksums) {

    static final Set<String> PLATFORM_BOOKKEEPING = Set.of("mf_rate_window", "mf_wechat_token", "mf_wechat_ticket",
        "mf_wechat_push", "mf_openapi_nonce");

    public static DatabaseSnapshot take(JdbcTemplate jdbc) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> checksums = new TreeMap<>();
        for (String table : miniflowTables(jdbc)) {
            List<String> rows = jdbc.query("SELECT * FROM " + table, (rs, i) -> row(rs));
            rows.sort(null);
            counts.put(table, (long) rows.size());
            checksums.put(table, sha256(String.join("\n", rows)));
        }
        for (String table : List.of("ACT_RU_EXECUTION", "ACT_RU_VARIABLE")) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        return new DatabaseSnapshot(counts, checksums);
    }

    private static List<String> miniflowTables(JdbcTemplate jdbc) {
        return jdbc.execute((Connection c) -> {
            List<String> tables = new ArrayList<>();
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    String lower = name.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("mf_") && !PLATFORM_BOOKKEEPING.contains(lower)) {
                        tables.add(name);
                    }
                }
            }
            return tables;
        });
    }

    private static String row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.append(meta.getColumnLabel(i)).append('=').append(rs.getString(i)).append('\u0001');
        }
        return row.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
