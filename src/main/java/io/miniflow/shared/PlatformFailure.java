package io.miniflow.shared;

/**
 * A failed call to an outside platform, as every platform's exception tells it: whether waiting can help, and the
 * message people read (a bundle key with its arguments). {@link JobFailures} reads it when a job fails.
 */
public interface PlatformFailure {

    boolean retryable();

    String messageKey();

    Object[] messageArgs();
}
