package io.miniflow.workspace;

import java.util.regex.Pattern;

/** A workspace's naming rule: letters A-Z, a-z and digits only, no spaces; it becomes part of URLs. */
final class WorkspaceName {

    static final int MAX_LENGTH = 32;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9]{2," + MAX_LENGTH + "}");

    private WorkspaceName() {
    }

    static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }
}
