package io.miniflow.cloudapp;

import java.util.Arrays;
import java.util.Optional;

/** The two environments every cloud app has, named in paths as {@code test} and {@code prod}. */
public enum EnvName {
    TEST("test"),
    PROD("prod");

    private final String code;

    EnvName(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<EnvName> fromCode(String code) {
        return Arrays.stream(values()).filter(e -> e.code.equals(code)).findFirst();
    }
}
