package io.miniflow.sandbox.wechat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain HTTP against the running sandbox, for emulator tests: what any client of api.weixin.qq.com would send. */
public class WechatSandboxHttp {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;

    public WechatSandboxHttp(int port) {
        this.base = "http://localhost:" + port;
    }

    public JsonNode post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
            .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }

    public JsonNode put(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh authorized mini program: [appid, authorizer access token]. */
    public String[] newAuthorizer(String componentToken) {
        JsonNode created = post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0);
        String appId = created.get("appid").asText();
        JsonNode platform = get("/sandbox/admin/wechat/platform");
        JsonNode token = post("/sandbox/wechat/cgi-bin/component/api_authorizer_token?component_access_token="
                + componentToken,
            "{\"component_appid\":\"" + platform.get("component_appid").asText() + "\",\"authorizer_appid\":\""
                + appId + "\",\"authorizer_refresh_token\":\"" + created.get("refresh_token").asText() + "\"}");
        return new String[] {appId, token.get("authorizer_access_token").asText()};
    }

    public String componentToken() {
        JsonNode platform = get("/sandbox/admin/wechat/platform");
        return post("/sandbox/wechat/cgi-bin/component/api_component_token",
            "{\"component_appid\":\"" + platform.get("component_appid").asText() + "\",\"component_appsecret\":\""
                + platform.get("component_appsecret").asText() + "\",\"component_verify_ticket\":\""
                + platform.get("component_verify_ticket").asText() + "\"}")
            .get("component_access_token").asText();
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return json.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
