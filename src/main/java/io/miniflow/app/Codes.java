package io.miniflow.app;

import java.util.regex.Pattern;

/** The shapes of codes and versions that SaaS platforms integrate with (seed 000). */
final class Codes {

    /** appCode and envCode: a lowercase letter first, then lowercase letters, digits or hyphens; at most 50. */
    static final String CODE_REGEX = "[a-z][a-z0-9-]{0,49}";
    /** Semantic version x.y.z without leading zeros. */
    static final String SEMVER_REGEX = "(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})\\.(0|[1-9][0-9]{0,5})";
    static final String URL_REGEX = "https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?";
    static final String DEPLOY_PATH_REGEX = "(/[a-z0-9][a-z0-9-]{0,49}){1,5}";
    static final String NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";

    private static final Pattern SEMVER = Pattern.compile(SEMVER_REGEX);

    private Codes() {
    }

    static boolean isSemver(String version) {
        return version != null && SEMVER.matcher(version).matches();
    }
}
