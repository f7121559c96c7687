package io.miniflow.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns an event (the outbox's payload) into the request each channel expects, signed as its platform documents:
 * <ul>
 * <li>WEBHOOK: the event as JSON; {@code X-Miniflow-Signature: sha256=<hex HMAC-SHA256(secret, body)>}.</li>
 * <li>WECOM (企业微信群机器人): {@code {"msgtype":"markdown","markdown":{"content":...}}}; the key is in the URL.</li>
 * <li>DINGTALK (钉钉自定义机器人): a markdown message; with a secret, {@code timestamp} (ms) and
 * {@code sign = urlencode(base64(HmacSHA256(secret, timestamp + "\n" + secret)))} added to the URL's query.</li>
 * <li>FEISHU (飞书自定义机器人): {@code {"timestamp","sign","msg_type":"interactive","card":{...}}} with
 * {@code sign = base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty))}, timestamp in seconds.</li>
 * </ul>
 * The robots' texts are in Chinese: they post to the groups of Chinese teams.
 */
@Component
class ChannelMessages {

    /** The request to make. */
    record Outgoing(String url, String body, Map<String, String> headers) {
    }

    static final String SIGNATURE_HEADER = "X-Miniflow-Signature";
    private static final Locale ROBOT_LOCALE = Locale.SIMPLIFIED_CHINESE;
    /** Details shown in a robot's message; the generic webhook gets all of them. */
    private static final int MAX_DETAILS = 8;

    private final ObjectMapper json;
    private final MessageSource messages;

    ChannelMessages(ObjectMapper json, MessageSource messages) {
        this.json = json;
        this.messages = messages;
    }

    Outgoing build(Subscription subscription, Delivery delivery, Instant now) {
        JsonNode event = read(delivery.payload());
        String secret = subscription.secret() == null || subscription.secret().isBlank() ? null : subscription.secret();
        return switch (subscription.channel()) {
            case WEBHOOK -> {
                String body = delivery.payload();
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("X-Miniflow-Event", delivery.eventType());
                headers.put("X-Miniflow-Delivery", String.valueOf(delivery.id()));
                if (secret != null) {
                    headers.put(SIGNATURE_HEADER, "sha256=" + HexFormat.of().formatHex(
                        hmac(secret.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8))));
                }
                yield new Outgoing(subscription.url(), body, headers);
            }
            case WECOM -> {
                ObjectNode body = json.createObjectNode().put("msgtype", "markdown");
                body.putObject("markdown").put("content", markdown(event, delivery, true));
                yield new Outgoing(subscription.url(), write(body), Map.of());
            }
            case DINGTALK -> {
                ObjectNode body = json.createObjectNode().put("msgtype", "markdown");
                body.putObject("markdown").put("title", title(delivery)).put("text", markdown(event, delivery, false));
                String url = subscription.url();
                if (secret != null) {
                    long timestamp = now.toEpochMilli();
                    url += (url.contains("?") ? "&" : "?") + "timestamp=" + timestamp + "&sign="
                        + URLEncoder.encode(dingTalkSign(timestamp, secret), StandardCharsets.UTF_8);
                }
                yield new Outgoing(url, write(body), Map.of());
            }
            case FEISHU -> {
                ObjectNode body = json.createObjectNode();
                if (secret != null) {
                    long timestamp = now.getEpochSecond();
                    body.put("timestamp", String.valueOf(timestamp)).put("sign", feishuSign(timestamp, secret));
                }
                body.put("msg_type", "interactive");
                body.set("card", feishuCard(event, delivery));
                yield new Outgoing(subscription.url(), write(body), Map.of());
            }
        };
    }

    /**
     * Whether the answer means delivered: 2xx, and for the robots no error code inside (they answer 200 with
     * {"errcode":310000} for a bad signature, Feishu with {"code":19021}). Returns the error, or null.
     */
    String refusal(Channel channel, int status, String body) {
        if (status < 200 || status >= 300) {
            return "HTTP " + status;
        }
        if (channel == Channel.WEBHOOK || body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode answer = json.readTree(body);
            for (String field : List.of("errcode", "code", "StatusCode")) {
                JsonNode code = answer.path(field);
                if (code.isNumber() && code.asInt() != 0) {
                    String message = answer.path("errmsg").asText(answer.path("msg").asText(answer.path("StatusMessage")
                        .asText("")));
                    return field + " " + code.asInt() + ": " + message;
                }
            }
            return null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static String dingTalkSign(long timestampMillis, String secret) {
        String toSign = timestampMillis + "\n" + secret;
        return Base64.getEncoder().encodeToString(hmac(secret.getBytes(StandardCharsets.UTF_8),
            toSign.getBytes(StandardCharsets.UTF_8)));
    }

    static String feishuSign(long timestampSeconds, String secret) {
        String key = timestampSeconds + "\n" + secret;
        return Base64.getEncoder().encodeToString(hmac(key.getBytes(StandardCharsets.UTF_8), new byte[0]));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private String title(Delivery delivery) {
        return EventType.of(delivery.eventType())
            .map(t -> messages.getMessage(t.titleKey(), null, delivery.eventType(), ROBOT_LOCALE))
            .orElse(delivery.eventType());
    }

    private boolean badNews(Delivery delivery) {
        return EventType.of(delivery.eventType()).map(EventType::isBadNews).orElse(false);
    }

    /** WeCom's markdown knows {@code <font color="warning">}; DingTalk's does not, it gets a heading. */
    private String markdown(JsonNode event, Delivery delivery, boolean wecom) {
        StringBuilder text = new StringBuilder();
        String title = title(delivery);
        if (wecom) {
            text.append("**<font color=\"").append(badNews(delivery) ? "warning" : "info").append("\">")
                .append(title).append("</font>**\n");
        } else {
            text.append("### ").append(badNews(delivery) ? "⚠️ " : "").append(title).append("\n\n");
        }
        for (String line : lines(event)) {
            text.append(wecom ? "> " : "- ").append(line).append(wecom ? "\n" : "\n");
        }
        String link = event.path("link").asText("");
        if (!link.isEmpty()) {
            text.append(wecom ? "" : "\n").append("[").append(label("notify.robot.open")).append("](").append(link)
                .append(")");
        }
        return text.toString();
    }

    private ObjectNode feishuCard(JsonNode event, Delivery delivery) {
        ObjectNode card = json.createObjectNode();
        card.putObject("config").put("wide_screen_mode", true);
        ObjectNode header = card.putObject("header");
        header.putObject("title").put("tag", "plain_text").put("content", title(delivery));
        header.put("template", badNews(delivery) ? "red" : "blue");
        var elements = card.putArray("elements");
        ObjectNode div = elements.addObject().put("tag", "div");
        div.putObject("text").put("tag", "lark_md").put("content", String.join("\n", lines(event)));
        String link = event.path("link").asText("");
        if (!link.isEmpty()) {
            ObjectNode button = elements.addObject().put("tag", "action").putArray("actions").addObject();
            button.put("tag", "button").put("type", "primary").put("url", link);
            button.putObject("text").put("tag", "plain_text").put("content", label("notify.robot.open"));
        }
        return card;
    }

    /** "**key**: value" lines: the subject, the workspace, then the first details. */
    private List<String> lines(JsonNode event) {
        List<String> lines = new java.util.ArrayList<>();
        lines.add("**" + label("notify.robot.subject") + "**: " + clean(event.path("subject").asText("")));
        lines.add("**" + label("notify.robot.workspace") + "**: " + clean(event.path("workspace").asText("")));
        var fields = event.path("data").fields();
        int shown = 0;
        while (fields.hasNext() && shown < MAX_DETAILS) {
            var field = fields.next();
            JsonNode value = field.getValue();
            lines.add("**" + field.getKey() + "**: " + clean(value.isValueNode() ? value.asText() : value.toString()));
            shown++;
        }
        return lines;
    }

    /** One line, not too long: a value cannot open a new markdown block in the group. */
    private static String clean(String value) {
        String line = value.replace('\r', ' ').replace('\n', ' ');
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private String label(String key) {
        return messages.getMessage(key, null, key, ROBOT_LOCALE);
    }

    private JsonNode read(String payload) {
        try {
            return json.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an outbox payload is not JSON", e);
        }
    }

    private String write(JsonNode body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
