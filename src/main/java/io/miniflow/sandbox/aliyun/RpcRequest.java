package io.miniflow.sandbox.aliyun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parameters of one RPC call (query and form merged), with the typed reads the actions need. */
record RpcRequest(String action, Map<String, String> params, String requestId) {

    /** Parameters every call carries; they never take part in ClientToken comparisons. */
    static final Set<String> COMMON = Set.of("Action", "Version", "Format", "AccessKeyId", "Signature",
        "SignatureMethod", "SignatureVersion", "SignatureNonce", "SignatureType", "Timestamp", "ClientToken",
        "SecurityToken", "BearerToken");

    String get(String name) {
        String value = params.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    String get(String name, String defaultValue) {
        String value = get(name);
        return value == null ? defaultValue : value;
    }

    String required(String name) {
        String value = get(name);
        if (value == null) {
            throw AliyunError.missing(name);
        }
        return value;
    }

    int integer(String name, int defaultValue) {
        String value = get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw AliyunError.invalid(name, value);
        }
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(get(name));
    }

    /** Repeated parameters {@code Name.1, Name.2, ...} in order. */
    List<String> repeated(String name) {
        List<String> values = new ArrayList<>();
        for (int i = 1; ; i++) {
            String value = get(name + "." + i);
            if (value == null) {
                return values;
            }
            values.add(value);
        }
    }

    /** Tag.N.Key / Tag.N.Value pairs. */
    Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; i <= 20; i++) {
            String key = get("Tag." + i + ".Key");
            if (key != null) {
                tags.put(key, get("Tag." + i + ".Value", ""));
            }
        }
        return tags;
    }

    /** The parameters that describe what is asked for, for the ClientToken comparison. */
    Map<String, String> businessParams() {
        Map<String, String> business = new java.util.TreeMap<>(params);
        business.keySet().removeAll(COMMON);
        return business;
    }
}
