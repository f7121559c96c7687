package io.miniflow.cloudapp;

/** What a line of the build history says about its step. */
public enum StepStatus {
    STARTED, DONE, FAILED, SKIPPED
}
