package io.miniflow.sandbox.aliyun;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The machine-readable line of a Miniflow deploy script, {@code # xdeploy: <action> key=value ...}, which tells the
 * emulator what the script would do (it cannot run shell). Values hold no spaces; a pair splits on its first "=", so
 * URLs keep their query strings.
 */
record XdeployHeader(String action, Map<String, String> params) {

    static final String PREFIX = "# xdeploy: ";

    /** The first header line of the script, if it has one. */
    static Optional<XdeployHeader> in(String script) {
        for (String line : script.split("\\R")) {
            if (line.startsWith(PREFIX)) {
                return Optional.of(parse(line.substring(PREFIX.length())));
            }
        }
        return Optional.empty();
    }

    private static XdeployHeader parse(String rest) {
        String[] words = rest.trim().split("\\s+");
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            if (eq > 0) {
                params.put(words[i].substring(0, eq), words[i].substring(eq + 1));
            }
        }
        return new XdeployHeader(words[0], Map.copyOf(params));
    }

    String param(String key) {
        String value = params.get(key);
        return value == null || value.isEmpty() ? null : value;
    }
}
