package io.miniflow.sandbox.aliyun;

import java.security.SecureRandom;

/** Resource ids and addresses in the platform's shapes (i-bp1..., lb-bp1..., t-hz0...). */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private Ids() {
    }

    static String random(String prefix, int length) {
        StringBuilder id = new StringBuilder(prefix);
        for (int i = 0; i < length; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    static String address(String prefix) {
        return prefix + "." + (1 + RANDOM.nextInt(254)) + "." + (1 + RANDOM.nextInt(254));
    }
}
