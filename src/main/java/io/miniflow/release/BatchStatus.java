package io.miniflow.release;

/** A release batch: RUNNING starts mini programs; PAUSED and HALTED (the stop rule) start none; the last two are final. */
public enum BatchStatus {
    RUNNING, PAUSED, HALTED, CANCELLED, COMPLETED;

    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == HALTED;
    }
}
