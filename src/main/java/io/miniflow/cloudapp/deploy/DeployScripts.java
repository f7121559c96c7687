package io.miniflow.cloudapp.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.miniflow.cloudapp.Runtime;

/**
 * The scripts Cloud Assistant runs on a server during a deploy, and the reading of their output.
 *
 * <p>Each script starts with a header line {@code # xdeploy: <action> key=value ...}: a comment for the shell, and
 * what the sandbox's emulated server reads to play the app (it runs no shell; docs/cloud-apps.md). The install prints
 * its three logs as sections ({@link #SECTIONS}) so the deploy keeps each one with the order.
 */
final class DeployScripts {

    static final String[] SECTIONS = {"----- xdeploy.log -----", "----- stdout.log -----", "----- stderr.log -----"};
    private static final Pattern SECTION = Pattern.compile("^----- (xdeploy|stdout|stderr)\\.log -----$",
        Pattern.MULTILINE);

    private DeployScripts() {
    }

    /** What an install needs: the package (version, checksum, where to fetch it) and how to run it. */
    record Install(String version, String sha256, String url, Runtime runtime, String nginxConfig,
                   String certificateScript) {
    }

    /**
     * Fetches the package, checks its SHA-256, stops the app, replaces it, applies the environment's nginx
     * configuration when the package brings one (and the certificate on a server that ends TLS itself), starts the
     * app, and prints the logs. Exit code: 22 fetch failed, 1 checksum or start failed, 0 installed.
     */
    static String install(Install i) {
        String file = "/home/admin/releases/" + i.version() + "." + i.runtime().packageKind();
        StringBuilder s = new StringBuilder()
            .append("#!/bin/bash\n")
            .append("# xdeploy: install version=").append(i.version()).append(" sha256=").append(i.sha256())
            .append(" url=").append(i.url()).append(" runtime=").append(i.runtime().name()).append('\n')
            .append("set -uo pipefail\n")
            .append("APP=/home/admin/app; LOGS=/home/admin/logs; XLOG=$LOGS/xdeploy/deploy.log\n")
            .append("mkdir -p /home/admin/releases $LOGS/xdeploy\n")
            .append("step() { echo \"[$(date '+%F %T')] $*\" >> \"$XLOG\"; }\n")
            .append("deploy() {\n")
            .append("  step 'fetching package ").append(i.version()).append("'\n")
            .append("  curl -fsS --retry 3 -o '").append(file).append("' '").append(i.url()).append("' >> \"$XLOG\" 2>&1 || return 22\n")
            .append("  echo '").append(i.sha256()).append("  ").append(file).append("' | sha256sum -c - >> \"$XLOG\" 2>&1 || return 1\n")
            .append("  step 'stopping app'; systemctl stop miniflow-app 2>/dev/null || true\n")
            .append("  step 'replacing'; rm -rf \"$APP.next\" && mkdir -p \"$APP.next\" || return 1\n")
            .append("  ").append(unpack(i.runtime(), file)).append(" || return 1\n")
            .append("  rm -rf \"$APP\" && mv \"$APP.next\" \"$APP\" || return 1\n");
        if (i.nginxConfig() != null) {
            s.append("  step 'nginx: ").append(i.nginxConfig()).append("'\n")
                .append("  ").append(nginx(i.runtime(), i.nginxConfig())).append(" || return 1\n");
        }
        if (i.certificateScript() != null) {
            s.append("  step 'certificate'\n").append(i.certificateScript().indent(2));
        }
        s.append("  nginx -t >> \"$XLOG\" 2>&1 && (systemctl reload nginx || systemctl restart nginx)\n")
            .append("  step 'starting app ").append(i.version()).append("'\n")
            .append("  systemctl start miniflow-app >> \"$XLOG\" 2>&1 || return 1\n")
            .append("}\n")
            .append("deploy; CODE=$?\n")
            .append("[ $CODE -eq 0 ] && step 'installed ").append(i.version()).append("' || step \"failed: $CODE\"\n")
            .append("echo '").append(SECTIONS[0]).append("'; tail -n 200 \"$XLOG\"\n")
            .append("echo '").append(SECTIONS[1]).append("'; tail -n 200 $LOGS/stdout.log 2>/dev/null\n")
            .append("echo '").append(SECTIONS[2]).append("'; tail -n 200 $LOGS/stderr.log 2>/dev/null\n")
            .append("exit $CODE\n");
        return s.toString();
    }

    /** Asks the app on its own port; exit 0 when it answers 2xx/3xx. */
    static String health(Runtime runtime, String path) {
        return "#!/bin/bash\n"
            + "# xdeploy: health port=" + runtime.port() + " path=" + path + "\n"
            + "curl -fsS -o /dev/null -w 'HTTP %{http_code}\\n' --max-time 5 'http://127.0.0.1:" + runtime.port()
            + path + "'\n";
    }

    /** The logs in a command's output; output without sections is the deploy log. */
    static DeployRepository.Logs logs(String output) {
        if (output == null || output.isEmpty()) {
            return new DeployRepository.Logs("", "", "");
        }
        String[] parts = {null, null, null};
        Matcher m = SECTION.matcher(output);
        int start = -1;
        int current = -1;
        String before = null;
        while (m.find()) {
            if (current >= 0) {
                parts[current] = output.substring(start, m.start()).strip();
            } else {
                before = output.substring(0, m.start()).strip();
            }
            current = switch (m.group(1)) {
                case "xdeploy" -> 0;
                case "stdout" -> 1;
                default -> 2;
            };
            start = m.end();
        }
        if (current < 0) {
            return new DeployRepository.Logs(output.strip(), "", "");
        }
        parts[current] = output.substring(start).strip();
        String xdeploy = parts[0] == null ? "" : parts[0];
        if (before != null && !before.isEmpty()) {
            xdeploy = before + "\n" + xdeploy;
        }
        return new DeployRepository.Logs(xdeploy, parts[1] == null ? "" : parts[1], parts[2] == null ? "" : parts[2]);
    }

    private static String unpack(Runtime runtime, String file) {
        return switch (runtime) {
            case SPRING_BOOT -> "cp '" + file + "' \"$APP.next/app.jar\"";
            case NODEJS -> "tar -xzf '" + file + "' -C \"$APP.next\" --strip-components=1";
            case PHP -> "unzip -q '" + file + "' -d \"$APP.next\"";
        };
    }

    private static String nginx(Runtime runtime, String path) {
        return runtime == Runtime.SPRING_BOOT
            ? "unzip -p \"$APP/app.jar\" '" + path + "' > /etc/nginx/nginx.conf"
            : "cp \"$APP/" + path + "\" /etc/nginx/nginx.conf";
    }
}
