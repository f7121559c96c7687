package io.miniflow.sandbox.aliyun;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Renders results and errors as the RPC APIs do: JSON by default from the SDK (Format=JSON), XML when asked for
 * or when no Format is given; list wrappers as on the wire ({@code "InstanceIdSets":{"InstanceIdSet":[...]}}).
 */
final class RpcResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RpcResponses() {
    }

    static ResponseEntity<String> ok(RpcRequest request, String format, Map<String, Object> body) {
        Map<String, Object> withId = new LinkedHashMap<>();
        withId.put("RequestId", request.requestId());
        body.forEach((k, v) -> {
            if (!"RequestId".equals(k)) {
                withId.put(k, v);
            }
        });
        return render(200, request.action() + "Response", format, withId);
    }

    static ResponseEntity<String> error(String requestId, String hostId, String format, AliyunError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RequestId", requestId);
        body.put("HostId", hostId);
        body.put("Code", error.code());
        body.put("Message", error.getMessage());
        body.put("Recommend", "https://api.aliyun.com/troubleshoot?q=" + error.code());
        return render(error.httpStatus(), "Error", format, body);
    }

    private static ResponseEntity<String> render(int status, String root, String format, Map<String, Object> body) {
        if ("JSON".equalsIgnoreCase(format)) {
            try {
                return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                    .body(JSON.writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        element(xml, root, body);
        return ResponseEntity.status(status).contentType(new MediaType("text", "xml", java.nio.charset.StandardCharsets.UTF_8))
            .body(xml.toString());
    }

    private static void element(StringBuilder xml, String name, Object value) {
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                element(xml, name, item);
            }
            return;
        }
        xml.append('<').append(name).append('>');
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> element(xml, k.toString(), v));
        } else if (value != null) {
            xml.append(escape(value.toString()));
        }
        xml.append("</").append(name).append('>');
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
