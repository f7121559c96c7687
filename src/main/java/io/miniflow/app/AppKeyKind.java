package io.miniflow.app;

/**
 * The two keys of an app (seed 004): the Mini Program Accessing Key, with which container SDKs read the mini
 * program's data through the SaaS, and the Upload Key, with which bundles are signed when uploaded to the console.
 * The prefix starts every key id of the kind, so a key id alone says what it is for.
 */
public enum AppKeyKind {
    ACCESS("ak"),
    UPLOAD("uk");

    final String prefix;

    AppKeyKind(String prefix) {
        this.prefix = prefix;
    }

    /** The kind named in a request ("access", "UPLOAD"), or null when it names none. */
    static AppKeyKind parse(String text) {
        if (text == null) {
            return null;
        }
        for (AppKeyKind kind : values()) {
            if (kind.name().equalsIgnoreCase(text.trim())) {
                return kind;
            }
        }
        return null;
    }
}
