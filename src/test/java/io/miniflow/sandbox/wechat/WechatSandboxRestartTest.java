package io.miniflow.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.miniflow.sandbox.SandboxApplication;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The emulator alone (sandbox-only) keeps the platform in its database: stopped and started again on the same
 * database, it still knows the ticket, the authorizer and its refresh token, the committed code and the running audit.
 */
class WechatSandboxRestartTest {

    private static ConfigurableApplicationContext start(String dbUrl) {
        return new SpringApplicationBuilder(SandboxApplication.class).profiles("sandbox-only", "test")
            .run("--spring.datasource.url=" + dbUrl, "--server.port=0", "--miniflow.wechat.callback-url=",
                "--spring.main.banner-mode=off");
    }

    private static WechatSandboxHttp http(ConfigurableApplicationContext context) {
        return new WechatSandboxHttp(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    void shouldContinueAgainstTheSamePlatformStateAfterARestart() {
        String db = "jdbc:h2:mem:wechat-restart-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        String appId;
        String refreshToken;
        String ticket;
        long auditId;
        try (ConfigurableApplicationContext first = start(db)) {
            WechatSandboxHttp sandbox = http(first);
            sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}");
            sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\"}");
            ticket = sandbox.get("/sandbox/admin/wechat/platform").get("component_verify_ticket").asText();
            String componentToken = sandbox.componentToken();
            JsonNode created = sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0);
            appId = created.get("appid").asText();
            refreshToken = created.get("refresh_token").asText();
            String token = sandbox.post("/sandbox/wechat/cgi-bin/component/api_authorizer_token?component_access_token="
                    + componentToken, "{\"component_appid\":\"wx0000000000sandbox\",\"authorizer_appid\":\"" + appId
                    + "\",\"authorizer_refresh_token\":\"" + refreshToken + "\"}")
                .get("authorizer_access_token").asText();
            long template = sandbox.get("/sandbox/wechat/wxa/gettemplatelist?access_token=" + componentToken)
                .get("template_list").get(0).get("template_id").asLong();
            sandbox.post("/sandbox/wechat/wxa/commit?access_token=" + token, "{\"template_id\":" + template
                + ",\"ext_json\":\"{}\",\"user_version\":\"6.0.0\",\"user_desc\":\"before restart\"}");
            auditId = sandbox.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}").get("auditid")
                .asLong();
            assertThat(auditId).isPositive();
        }

        try (ConfigurableApplicationContext second = start(db)) {
            WechatSandboxHttp sandbox = http(second);
            // the ticket pushed before the restart is still accepted (it is the previous one now)
            JsonNode answer = sandbox.post("/sandbox/wechat/cgi-bin/component/api_component_token",
                "{\"component_appid\":\"wx0000000000sandbox\",\"component_appsecret\":\"sandbox-component-secret\","
                    + "\"component_verify_ticket\":\"" + ticket + "\"}");
            assertThat(answer.has("component_access_token")).as(answer.toString()).isTrue();
            String componentToken = answer.get("component_access_token").asText();
            String token = sandbox.post("/sandbox/wechat/cgi-bin/component/api_authorizer_token?component_access_token="
                    + componentToken, "{\"component_appid\":\"wx0000000000sandbox\",\"authorizer_appid\":\"" + appId
                    + "\",\"authorizer_refresh_token\":\"" + refreshToken + "\"}")
                .get("authorizer_access_token").asText();
            assertThat(sandbox.post("/sandbox/wechat/wxa/getversioninfo?access_token=" + token, "{}")
                .at("/exp_info/exp_version").asText()).isEqualTo("6.0.0");
            JsonNode latest = sandbox.get("/sandbox/wechat/wxa/get_latest_auditstatus?access_token=" + token);
            assertThat(latest.get("auditid").asLong()).isEqualTo(auditId);
            assertThat(latest.get("status").asInt()).as("still under review").isEqualTo(2);
            assertThat(sandbox.post("/sandbox/wechat/wxa/submit_audit?access_token=" + token, "{}").get("errcode")
                .asInt()).isEqualTo(85009);
            assertThat(sandbox.get("/sandbox/admin/wechat/stats").at("/per_api/wxa~1commit/calls").asLong())
                .isEqualTo(1);
        }
    }
}
