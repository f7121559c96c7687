package io.miniflow.sandbox.wechat;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the flat XML documents WeChat pushes (every text value in CDATA, numbers bare). */
final class SandboxXml {

    private SandboxXml() {
    }

    static String of(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        StringBuilder xml = new StringBuilder("<xml>");
        fields.forEach((name, value) -> {
            if (value == null) {
                return;
            }
            xml.append('<').append(name).append('>');
            if (value instanceof Number) {
                xml.append(value);
            } else {
                xml.append("<![CDATA[").append(value.toString().replace("]]>", "]]]]><![CDATA[>")).append("]]>");
            }
            xml.append("</").append(name).append('>');
        });
        return xml.append("</xml>").toString();
    }
}
