package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.wechat.crypto.WechatMessageCrypto;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** /wechat/callback accepts only genuine, fresh pushes for our platform, and a replay changes nothing. */
@MiniflowIntegrationTest
class WechatCallbackTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    WechatSettings settings;
    @Autowired
    JdbcClient jdbc;

    private WechatMessageCrypto crypto(String appId) {
        return new WechatMessageCrypto(settings.token(), settings.encodingAesKey(), appId);
    }

    private String unauthorizedEvent(String appId) {
        return "<xml><AppId><![CDATA[" + settings.componentAppId() + "]]></AppId><CreateTime>"
            + Instant.now().getEpochSecond() + "</CreateTime><InfoType><![CDATA[unauthorized]]></InfoType>"
            + "<AuthorizerAppid><![CDATA[" + appId + "]]></AuthorizerAppid></xml>";
    }

    private MockHttpServletRequestBuilder push(WechatMessageCrypto crypto, String xml, long timestamp,
                                               boolean tamper) {
        String encrypt = crypto.encrypt(xml);
        String ts = Long.toString(timestamp);
        String signature = crypto.msgSignature(ts, "12345", encrypt);
        if (tamper) {
            signature = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        }
        return post("/wechat/callback").param("timestamp", ts).param("nonce", "12345")
            .param("encrypt_type", "aes").param("msg_signature", signature)
            .content(crypto.envelope("AppId", settings.componentAppId(), encrypt));
    }

    private int pushesOf(String appId) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_wechat_push WHERE app_id = ?").param(appId).query(Integer.class)
            .single();
    }

    @Test
    void shouldAcceptAGenuinePushOnceAndTreatItsReplayAsHarmless() throws Exception {
        String appId = "wxtest" + UUID.randomUUID().toString().substring(0, 8);
        WechatMessageCrypto crypto = crypto(settings.componentAppId());
        String xml = unauthorizedEvent(appId);
        String encrypt = crypto.encrypt(xml);
        String ts = Long.toString(Instant.now().getEpochSecond());
        String signature = crypto.msgSignature(ts, "777", encrypt);
        for (int i = 0; i < 2; i++) {
            mvc.perform(post("/wechat/callback").param("timestamp", ts).param("nonce", "777")
                    .param("msg_signature", signature).content(crypto.envelope("AppId", settings.componentAppId(),
                        encrypt)))
                .andExpect(status().isOk()).andExpect(content().string("success"));
        }
        assertThat(pushesOf(appId)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT status FROM mf_wechat_authorizer WHERE app_id = ?").param(appId)
            .query(String.class).single()).isEqualTo("REVOKED");
    }

    @Test
    void shouldRejectATamperedSignatureAndStoreNothing() throws Exception {
        String appId = "wxtest" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(push(crypto(settings.componentAppId()), unauthorizedEvent(appId), Instant.now().getEpochSecond(),
            true)).andExpect(status().isForbidden());
        assertThat(pushesOf(appId)).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_wechat_authorizer WHERE app_id = ?").param(appId)
            .query(Integer.class).single()).isZero();
    }

    @Test
    void shouldRejectAStaleTimestamp() throws Exception {
        String appId = "wxtest" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(push(crypto(settings.componentAppId()), unauthorizedEvent(appId),
            Instant.now().minusSeconds(301).getEpochSecond(), false)).andExpect(status().isForbidden());
        assertThat(pushesOf(appId)).isZero();
    }

    @Test
    void shouldRejectAPushSealedForAnotherAppid() throws Exception {
        String appId = "wxtest" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(push(crypto("wx1111111111other"), unauthorizedEvent(appId), Instant.now().getEpochSecond(),
            false)).andExpect(status().isForbidden());
        assertThat(pushesOf(appId)).isZero();
    }

    @Test
    void shouldRejectAPushWithoutSignature() throws Exception {
        mvc.perform(post("/wechat/callback").content("<xml><Encrypt>abc</Encrypt></xml>"))
            .andExpect(status().isForbidden());
    }
}
