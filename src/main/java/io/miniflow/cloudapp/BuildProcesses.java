package io.miniflow.cloudapp;

import java.time.Instant;
import java.util.List;

/**
 * What the service asks of a build's running environment-build instance, for an operator's give-up: is it running,
 * which incidents hold it, and the give-up itself (the message only Miniflow sends). The process feature implements
 * it, as it does {@link BuildStarter}.
 */
public interface BuildProcesses {

    boolean running(String processInstanceId);

    /** The open incidents of the instance, oldest first: why it is stuck. */
    List<BuildIncident> incidents(String processInstanceId);

    /**
     * Sends the give-up to the instance; false when it waits for none any more (it is giving up already, or it ended
     * in between).
     */
    boolean giveUp(String processInstanceId);

    /** An open incident: the step it stopped at and the failure's message. */
    record BuildIncident(String activityId, String message, Instant since) {
    }
}
