package io.miniflow.shared.crypto;

import java.util.List;

/**
 * Implemented by a feature's store for the table columns it writes through {@link SecretBox}, so that
 * {@link SecretReencryption} can move every value to the current master key (and encrypt rows written in plain text
 * before encryption existed) without knowing the feature.
 */
public interface EncryptedColumns {

    /** A VARCHAR column of {@code mf1:} values (or plain ones from before the upgrade); names are code constants. */
    record Column(String table, String column) {

        @Override
        public String toString() {
            return table + "." + column;
        }
    }

    List<Column> encryptedColumns();
}
