package io.miniflow.shared;

import java.util.ArrayList;
import java.util.List;

/**
 * A request refused for the values of some of its fields, all named at once (a 400 problem document with one
 * entry per field, {@link ApiErrorHandler}). Collect with {@link #add}, then {@link #throwIfAny}: nothing was
 * changed when it is thrown.
 */
public class InvalidFields extends RuntimeException {

    /** One refused field: its JSON path and a message key of the bundles with its arguments. */
    public record Field(String field, String key, Object[] args) {
    }

    private final List<Field> fields = new ArrayList<>();

    public InvalidFields() {
        super(null, null, false, false);
    }

    public InvalidFields add(String field, String key, Object... args) {
        fields.add(new Field(field, key, args));
        return this;
    }

    public boolean has(String field) {
        return fields.stream().anyMatch(f -> f.field().equals(field));
    }

    public List<Field> fields() {
        return List.copyOf(fields);
    }

    public void throwIfAny() {
        if (!fields.isEmpty()) {
            throw this;
        }
    }

    @Override
    public String getMessage() {
        return "invalid fields: " + fields.stream().map(Field::field).toList();
    }
}
