package io.miniflow.cloudapp;

/** What a cloud app runs on (seed 001 §1.3): the package kind a deploy takes and the port the app listens on. */
public enum Runtime {
    SPRING_BOOT("jar", 8080),
    NODEJS("tgz", 7001),
    PHP("zip", 9000);

    private final String packageKind;
    private final int port;

    Runtime(String packageKind, int port) {
        this.packageKind = packageKind;
        this.port = port;
    }

    public String packageKind() {
        return packageKind;
    }

    public int port() {
        return port;
    }
}
