package io.miniflow.shared;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * One process variable, named once with the type Java sees it as (the idea of camunda-bpm-data, kept small):
 * processes declare theirs as constants, and delegates and listeners read and write them only through these, so no
 * name is spelled twice and no value is cast by hand. Reading converts what the engine stored (a Long written by one
 * step may come back as an Integer from a form or a script); writing stores the value as the processes expect it.
 *
 * @param <T> how Java sees the value
 */
public final class ProcessVariable<T> {

    private final String name;
    private final Function<Object, T> read;
    private final Function<T, Object> write;

    private ProcessVariable(String name, Function<Object, T> read, Function<T, Object> write) {
        this.name = Objects.requireNonNull(name);
        this.read = read;
        this.write = write;
    }

    /** A text; any stored value reads as its text. */
    public static ProcessVariable<String> text(String name) {
        return new ProcessVariable<>(name, Object::toString, value -> value);
    }

    /**
     * A numeric id as a Long, from any stored Number, or from digits (ids that are started as text, as a template's,
     * stay text in history and forms).
     */
    public static ProcessVariable<Long> id(String name) {
        return new ProcessVariable<>(name, value -> value instanceof Number n ? n.longValue()
            : Long.valueOf(value.toString().trim()), value -> value);
    }

    /** A count or index as an Integer, from any stored Number. */
    public static ProcessVariable<Integer> count(String name) {
        return new ProcessVariable<>(name, value -> ((Number) value).intValue(), value -> value);
    }

    /** A yes/no, from a stored Boolean or its text ("true"). */
    public static ProcessVariable<Boolean> flag(String name) {
        return new ProcessVariable<>(name, value -> value instanceof Boolean b ? b : Boolean.valueOf(value.toString()),
            value -> value);
    }

    /**
     * A list kept as one comma-separated text ("a.com,b.com"), as people type it into a form; blanks between commas
     * are dropped, and no value reads as the empty list.
     */
    public static <E> ProcessVariable<List<E>> commaSeparated(String name, Function<String, E> element) {
        return new ProcessVariable<>(name, value -> Arrays.stream(value.toString().split(",")).map(String::trim)
            .filter(s -> !s.isEmpty()).map(element).toList(),
            values -> String.join(",", values.stream().map(String::valueOf).toList()));
    }

    public String name() {
        return name;
    }

    /**
     * The value, which the process must have set by now: a missing (or blank) one is a defect of the model or of the
     * caller, reported with the variable's name.
     */
    public T from(VariableScope scope) {
        Optional<T> value = optional(scope);
        if (value.isEmpty() || value.get() instanceof String s && s.isBlank()) {
            throw new IllegalStateException("process variable " + name + " is missing");
        }
        return value.get();
    }

    /** The value when it is set; a text set to "" is "" (a person's empty form field says something). */
    public Optional<T> optional(VariableScope scope) {
        Object value = scope.getVariable(name);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.apply(value));
        } catch (RuntimeException e) {
            throw new IllegalStateException("process variable " + name + " holds " + value.getClass().getSimpleName()
                + " '" + value + "', which it cannot read", e);
        }
    }

    /** Sets it where the engine finds it (the closest scope that has it, else the process instance). */
    public void set(VariableScope scope, T value) {
        scope.setVariable(name, stored(value));
    }

    /** Sets it on this scope only (each instance of a multi-instance keeps its own). */
    public void setLocal(VariableScope scope, T value) {
        scope.setVariableLocal(name, stored(value));
    }

    public void remove(VariableScope scope) {
        scope.removeVariable(name);
    }

    private Object stored(T value) {
        return value == null ? null : write.apply(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
