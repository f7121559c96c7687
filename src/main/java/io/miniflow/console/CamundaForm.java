package io.miniflow.console;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Camunda Form (the JSON that Tasklist renders with form-js), read so the console can show the same form
 * server-side: the field kinds user tasks here use (text, textarea, number, select, radio, checkbox, static text).
 */
public record CamundaForm(List<Field> fields) {

    public record Option(String label, String value) {
    }

    public record Field(String key, String label, String type, boolean required, List<Option> options, String text,
                        boolean readonly) {

        /** Fields the person fills in; read-only fields only show a variable and are never submitted. */
        public boolean isInput() {
            return key != null && !"text".equals(type) && !readonly;
        }

        public boolean isShownValue() {
            return key != null && readonly;
        }
    }

    static CamundaForm parse(InputStream json, ObjectMapper mapper) throws IOException {
        JsonNode root = mapper.readTree(json);
        List<Field> fields = new ArrayList<>();
        for (JsonNode c : root.path("components")) {
            List<Option> options = new ArrayList<>();
            for (JsonNode v : c.path("values")) {
                options.add(new Option(v.path("label").asText(), v.path("value").asText()));
            }
            String type = c.path("type").asText("textfield");
            if ("button".equals(type)) {
                continue; // the console draws its own submit button
            }
            fields.add(new Field(c.hasNonNull("key") ? c.get("key").asText() : null, c.path("label").asText(""),
                type, c.path("validate").path("required").asBoolean(false), options, c.path("text").asText(null),
                c.path("readonly").asBoolean(false) || c.path("disabled").asBoolean(false)));
        }
        return new CamundaForm(fields);
    }

    /**
     * Turns submitted form parameters into process variables, typed as the form declares them. Returns the
     * keys of required fields left empty (nothing is submitted to the engine then).
     */
    List<String> toVariables(Map<String, String> params, Map<String, Object> variables) {
        List<String> missing = new ArrayList<>();
        Map<String, Object> typed = new HashMap<>();
        for (Field f : fields) {
            if (!f.isInput()) {
                continue;
            }
            String raw = params.get(f.key());
            if ("checkbox".equals(f.type())) {
                typed.put(f.key(), raw != null && !"false".equals(raw));
                continue;
            }
            if (raw == null || raw.isBlank()) {
                if (f.required()) {
                    missing.add(f.key());
                }
                continue;
            }
            if ("number".equals(f.type())) {
                try {
                    typed.put(f.key(), parseNumber(raw.trim()));
                } catch (NumberFormatException e) {
                    missing.add(f.key());
                }
            } else {
                typed.put(f.key(), raw.trim());
            }
        }
        if (missing.isEmpty()) {
            variables.putAll(typed);
        }
        return missing;
    }

    /** Whole numbers stay Long (what Camunda Forms submit for integers), others become Double. */
    private static Object parseNumber(String raw) {
        if (raw.contains(".") || raw.contains("e") || raw.contains("E")) {
            return Double.valueOf(raw);
        }
        return Long.valueOf(raw);
    }
}
