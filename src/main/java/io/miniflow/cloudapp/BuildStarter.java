package io.miniflow.cloudapp;

/**
 * Starts the environment-build process for a build that {@link CloudAppService} has just recorded (in the same
 * transaction: when starting fails, the build, its order and the environment's BUILDING status roll back). The
 * process feature implements it; until a bean exists, build requests are answered 503 {@code cloudapp.build.unavailable}.
 */
public interface BuildStarter {

    /** @return the id of the process instance that builds it */
    String start(long buildId);
}
