package io.miniflow.sandbox.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The emulator's setprivacysetting and tester calls over plain HTTP: WeChat's answers and refusals. */
@MiniflowIntegrationTest
class WechatSandboxPrivacyAndTestersTest {

    private static final String OWNER = "\"owner_setting\":{\"contact_email\":\"p@shop.example\",\"notice_method\":\"弹窗\"}";

    @LocalServerPort
    int port;

    WechatSandboxHttp http;
    String token;

    @BeforeEach
    void setUp() {
        http = new WechatSandboxHttp(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> !http.get("/sandbox/admin/wechat/platform")
            .path("component_verify_ticket").isNull());
        token = http.newAuthorizer(http.componentToken())[1];
    }

    @AfterEach
    void tearDown() {
        http.post("/sandbox/admin/wechat/settings", "{\"tester_limit\":15,\"tester_apps_limit\":50}");
    }

    private int setPrivacy(String body) {
        return http.post("/sandbox/wechat/cgi-bin/component/setprivacysetting?access_token=" + token, body)
            .get("errcode").asInt();
    }

    @Test
    void setprivacysettingChecksTheFieldsAsThePlatformDoes() {
        assertThat(setPrivacy("{\"owner_setting\":{\"notice_method\":\"弹窗\"},\"setting_list\":[]}")).isEqualTo(86069);
        assertThat(setPrivacy("{\"setting_list\":[]}")).isEqualTo(86069);
        assertThat(setPrivacy("{\"owner_setting\":{\"contact_qq\":\"12345\"},\"setting_list\":[]}")).isEqualTo(86070);
        assertThat(setPrivacy("{\"owner_setting\":{\"contact_qq\":\"12345\",\"notice_method\":\"弹窗\","
            + "\"store_expire_timestamp\":\"a year\"},\"setting_list\":[]}")).isEqualTo(86072);
        assertThat(setPrivacy("{\"owner_setting\":{\"contact_qq\":\"12345\",\"notice_method\":\"弹窗\","
            + "\"ext_file_media_id\":\"never-uploaded\"},\"setting_list\":[]}")).isEqualTo(86073);
        assertThat(setPrivacy("{" + OWNER + "}")).isEqualTo(47001);
        assertThat(setPrivacy("{" + OWNER + ",\"setting_list\":[{\"privacy_key\":\"Location\"}]}")).isEqualTo(47001);
        assertThat(setPrivacy("{" + OWNER + ",\"setting_list\":[],\"sdk_privacy_info_list\":[{\"sdk_name\":\"X\"}]}"))
            .isEqualTo(47001);
        assertThat(setPrivacy("{\"privacy_ver\":1," + OWNER + "}")).as("no live version yet").isEqualTo(86074);

        assertThat(setPrivacy("{" + OWNER + ",\"setting_list\":[{\"privacy_key\":\"Location\",\"privacy_text\":\"门店\"}],"
            + "\"sdk_privacy_info_list\":[{\"sdk_name\":\"MapKit\",\"sdk_biz_name\":\"Map Co.\",\"sdk_list\":"
            + "[{\"privacy_key\":\"Location\",\"privacy_text\":\"地图\"}]}]}")).isZero();
        var read = http.post("/sandbox/wechat/cgi-bin/component/getprivacysetting?access_token=" + token,
            "{\"privacy_ver\":2}");
        assertThat(read.at("/setting_list/0/privacy_text").asText()).isEqualTo("门店");
        assertThat(read.at("/sdk_privacy_info_list/0/sdk_name").asText()).isEqualTo("MapKit");
    }

    @Test
    void testersAreKeptPerMiniProgramAndRefusedAsWechatDoes() {
        String bind = "/sandbox/wechat/wxa/bind_tester?access_token=" + token;
        var bound = http.post(bind, "{\"wechatid\":\"tester_gina\"}");
        assertThat(bound.get("errcode").asInt()).isZero();
        assertThat(bound.get("userstr").asText()).isNotBlank();
        assertThat(http.post(bind, "{\"wechatid\":\"tester_gina\"}").get("errcode").asInt()).isEqualTo(85004);
        assertThat(http.post(bind, "{\"wechatid\":\"hidden_hank\"}").get("errcode").asInt()).isEqualTo(85001);
        assertThat(http.post(bind, "{\"wechatid\":\"9lives\"}").get("errcode").asInt()).isEqualTo(85001);
        http.post("/sandbox/admin/wechat/settings", "{\"tester_limit\":1}");
        assertThat(http.post(bind, "{\"wechatid\":\"tester_ivan\"}").get("errcode").asInt()).isEqualTo(85002);

        String otherToken = http.newAuthorizer(http.componentToken())[1];
        http.post("/sandbox/admin/wechat/settings", "{\"tester_limit\":15,\"tester_apps_limit\":1}");
        assertThat(http.post("/sandbox/wechat/wxa/bind_tester?access_token=" + otherToken,
            "{\"wechatid\":\"tester_gina\"}").get("errcode").asInt()).isEqualTo(85003);

        String members = "/sandbox/wechat/wxa/memberauth?access_token=" + token;
        assertThat(http.post(members, "{\"action\":\"get_experiencer\"}").get("members").get(0).get("userstr").asText())
            .isEqualTo(bound.get("userstr").asText());
        assertThat(http.post(members, "{\"action\":\"get_everyone\"}").get("errcode").asInt()).isEqualTo(85022);
        assertThat(http.post("/sandbox/wechat/wxa/unbind_tester?access_token=" + token, "{}").get("errcode").asInt())
            .isEqualTo(47001);
        assertThat(http.post("/sandbox/wechat/wxa/unbind_tester?access_token=" + token,
            "{\"userstr\":\"" + bound.get("userstr").asText() + "\"}").get("errcode").asInt()).isZero();
        assertThat(http.post(members, "{\"action\":\"get_experiencer\"}").get("members")).isEmpty();
    }
}
