package io.miniflow.cloudapp.release;

/** The script Cloud Assistant runs on a server before it is deleted. */
final class EnvironmentReleaseScripts {

    private EnvironmentReleaseScripts() {
    }

    /** Stops the app whatever installed it; an app not running (or never deployed) is fine. */
    static String stopApp() {
        return "#!/bin/bash\n"
            + "systemctl stop miniflow-app 2>/dev/null || true\n"
            + "if [ -x /opt/miniflow/app/stop.sh ]; then /opt/miniflow/app/stop.sh || true; fi\n"
            + "exit 0\n";
    }
}
