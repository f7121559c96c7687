package io.miniflow.app;

import java.util.regex.Pattern;

/** The shapes of codes and versions that SaaS platforms integrate with. */
final class Codes {

    /** appCode and envCode: a lowercase letter first, then lowercase letters, digits or hyphens; at most 50. */
    static final String CODE_REGEX = "[a-z][a-z0-9-]{0,49}";
    /** Semantic version x.y.z without leading zeros. */
    static final String SEMVER_REGEX = "(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})";
    /** One path segment that is not "." or "..": a path must not climb out of where it is put. */
    private static final String SEGMENT = "(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+";
    private static final String HOST_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    static final String URL_REGEX = "https?://" + HOST_LABEL + "(?:\\." + HOST_LABEL + ")*(:[0-9]{1,5})?"
        + "(/" + SEGMENT + ")*/?";
    /** Where a deployed version is reached below its domain, e.g. /app/shop; at most 8 segments. */
    static final String ACCESS_PATH_REGEX = "(/(?!\\.{1,2}(?:/|$))[A-Za-z0-9._-]+){0,8}/?";
    static final String DEPLOY_PATH_REGEX = "(/[a-z0-9][a-z0-9-]{0,49}){1,5}";
    static final String NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    private static final Pattern SEMVER = Pattern.compile(SEMVER_REGEX);

    private Codes() {
    }

    static boolean isSemver(String version) {
        return version != null && SEMVER.matcher(version).matches();
    }
}
