package io.miniflow.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.context.support.StaticMessageSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What counts as delivered for each channel, and how URLs are shown without their keys. */
class ChannelMessagesTest {

    private final ChannelMessages messages = new ChannelMessages(new ObjectMapper(), new StaticMessageSource());

    @Test
    void shouldTreatARobotsErrorCodeInAnHttp200AsAFailure() {
        assertThat(messages.refusal(Channel.DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}"))
            .isEqualTo("errcode 310000: sign not match");
        assertThat(messages.refusal(Channel.FEISHU, 200, "{\"code\":19021,\"msg\":\"sign match fail\",\"data\":{}}"))
            .isEqualTo("code 19021: sign match fail");
        assertThat(messages.refusal(Channel.WECOM, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}")).isNull();
        assertThat(messages.refusal(Channel.FEISHU, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}")).isNull();
    }

    @Test
    void shouldTreatAnyNon2xxAsAFailureAndAGenericWebhooksBodyAsItsOwnBusiness() {
        assertThat(messages.refusal(Channel.WEBHOOK, 302, "")).isEqualTo("HTTP 302");
        assertThat(messages.refusal(Channel.WECOM, 500, "{\"errcode\":0}")).isEqualTo("HTTP 500");
        assertThat(messages.refusal(Channel.WEBHOOK, 200, "{\"code\":1}")).isNull();
        assertThat(messages.refusal(Channel.DINGTALK, 200, "not json")).isNull();
    }

    @Test
    void shouldMaskTheKeysThatRobotUrlsCarry() {
        assertThat(Subscriptions.masked("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"))
            .isEqualTo("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***");
        assertThat(Subscriptions.masked("https://open.feishu.cn/open-apis/bot/v2/hook/2c3d4e5f-aaaa-bbbb-cccc-123456"))
            .isEqualTo("https://open.feishu.cn/open-apis/bot/v2/hook/2c3d***");
        assertThat(Subscriptions.masked("http://localhost:8080/sandbox/receiver/team"))
            .isEqualTo("http://localhost:8080/sandbox/receiver/team");
    }
}
