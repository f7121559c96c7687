package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.release.AuditStatus;
import io.miniflow.release.MiniProgramCodePort;
import io.miniflow.release.MiniProgramCodePort.DomainSettings;
import io.miniflow.release.MiniProgramCodePort.PrivacySettings;
import io.miniflow.release.MiniProgramRelease;
import io.miniflow.release.PlatformRefusal;
import io.miniflow.sandbox.wechat.WechatSandboxHttp;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The release process's port, served by WeChat (the emulator) over HTTP: the adapter is the bean the process gets. */
@MiniflowIntegrationTest
class WechatMiniProgramCodeAdapterTest {

    @LocalServerPort
    int port;
    @Autowired
    MiniProgramCodePort port_;
    @Autowired
    MiniProgramRelease release;
    @Autowired
    WechatClient client;

    WechatSandboxHttp sandbox;
    long template;

    @BeforeEach
    void setUp() {
        sandbox = new WechatSandboxHttp(port);
        sandbox.post("/sandbox/admin/wechat/settings", "{\"audit_delay_millis\":200,\"privacy_scan_delay_millis\":0}");
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !client.templates(null).isEmpty());
        template = client.templates(null).get(0).templateId();
    }

    @AfterEach
    void tearDown() {
        sandbox.delete("/sandbox/admin/wechat/audit-rules");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":1000,\"used\":0}");
        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}");
    }

    private String newApp() {
        return sandbox.post("/sandbox/admin/wechat/authorizers", "{\"count\":1,\"push\":false}").get(0).get("appid")
            .asText();
    }

    @Test
    void shouldBeTheAdapterTheReleaseProcessUses() {
        assertThat(port_).isInstanceOf(WechatMiniProgramCodeAdapter.class);
    }

    @Test
    void shouldReleaseThroughThePortWithoutDoingAnythingTwice() {
        String appId = newApp();
        sandbox.delete("/sandbox/admin/wechat/stats");
        release.commit(appId, template, "{\"extAppid\":\"" + appId + "\"}", "1.0.0", "port");
        release.commit(appId, template, "{\"extAppid\":\"" + appId + "\"}", "1.0.0", "port");
        release.configureDomains(appId, new DomainSettings(List.of("https://api.port-shop.example"),
            List.of("https://h5.port-shop.example")));
        release.configureDomains(appId, new DomainSettings(List.of("https://api.port-shop.example"),
            List.of("https://h5.port-shop.example")));
        release.setPrivacy(appId, new PrivacySettings("privacy@port-shop.example", List.of("UserInfo")));
        assertThat(port_.latestAudit(appId)).isNull();

        long auditId = release.submitAudit(appId, "1.0.0", "port", null);
        assertThat(release.submitAudit(appId, "1.0.0", "port", null)).isEqualTo(auditId);
        await().atMost(Duration.ofSeconds(10)).until(() -> port_.latestAudit(appId).status() == AuditStatus.PASSED);
        release.release(appId, "1.0.0");
        release.release(appId, "1.0.0");
        release.verify(appId, "1.0.0");
        assertThat(port_.versionInfo(appId)).isEqualTo(new MiniProgramCodePort.VersionInfo("1.0.0", "1.0.0"));

        assertThat(sandbox.get("/sandbox/admin/wechat/stats").at("/per_appid/" + appId + "/repeats").asLong())
            .as("no commit, submit or release repeated").isZero();
    }

    @Test
    void shouldTurnWaitsAndQuotaIntoRefusals() {
        String appId = newApp();
        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":60000}");
        port_.commit(appId, template, "{}", "2.0.0", "scan");
        assertThatThrownBy(() -> port_.submitAudit(appId, "scan", null))
            .isInstanceOfSatisfying(PlatformRefusal.class, r -> {
                assertThat(r.kind()).isEqualTo(PlatformRefusal.Kind.MUST_WAIT);
                assertThat(r.getMessage()).startsWith("61039 ");
            });

        sandbox.post("/sandbox/admin/wechat/settings", "{\"privacy_scan_delay_millis\":0}");
        String held = newApp();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"HOLD\",\"appid\":\"" + held + "\"}");
        port_.commit(held, template, "{}", "2.0.0", "held");
        port_.submitAudit(held, "held", null);
        assertThat(port_.auditRunning(port_.latestAudit(held))).satisfies(r -> {
            assertThat(r.kind()).isEqualTo(PlatformRefusal.Kind.MUST_WAIT);
            assertThat(r.getMessage()).startsWith("85009 ");
        });
        assertThatThrownBy(() -> port_.submitAudit(held, "held", null))
            .isInstanceOfSatisfying(PlatformRefusal.class, r -> assertThat(r.getMessage()).startsWith("85009 "));

        String other = newApp();
        port_.commit(other, template, "{}", "2.0.0", "quota");
        sandbox.post("/sandbox/admin/wechat/quota", "{\"limit\":5,\"used\":5}");
        assertThatThrownBy(() -> port_.submitAudit(other, "quota", null))
            .isInstanceOfSatisfying(PlatformRefusal.class, r -> {
                assertThat(r.kind()).isEqualTo(PlatformRefusal.Kind.AUDIT_QUOTA_EXHAUSTED);
                assertThat(r.getMessage()).startsWith("85085 ");
            });
    }

    @Test
    void shouldRunGrayStepsAndRollBack() {
        String appId = newApp();
        assertThat(port_.grayReleaseRefusal(appId)).as("nothing online to phase against")
            .hasValueSatisfying(reason -> assertThat(reason).startsWith("85079 "));
        for (String version : List.of("3.0.0", "3.1.0")) {
            port_.commit(appId, template, "{}", version, version);
            port_.submitAudit(appId, version, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> port_.latestAudit(appId).status() == AuditStatus.PASSED);
            if (version.equals("3.0.0")) {
                port_.release(appId);
            }
        }
        assertThat(port_.grayReleaseRefusal(appId)).isEmpty();
        release.grayRelease(appId, 10);
        release.grayRelease(appId, 10);
        release.grayRelease(appId, 50);
        assertThat(port_.grayPercentage(appId)).isEqualTo(50);
        assertThat(release.rollBack(appId, "3.1.0")).isEqualTo("GRAY_REVERTED");
        assertThat(port_.grayPercentage(appId)).isZero();
        port_.release(appId);
        assertThat(release.rollBack(appId, "3.1.0")).isEqualTo("REVERTED_TO_PREVIOUS");
        assertThat(port_.versionInfo(appId).releaseVersion()).isEqualTo("3.0.0");

        String rejected = newApp();
        sandbox.post("/sandbox/admin/wechat/audit-rules", "{\"outcome\":\"FAIL\",\"appid\":\"" + rejected
            + "\",\"reason\":\"no\"}");
        port_.commit(rejected, template, "{}", "1", "x");
        port_.submitAudit(rejected, "x", null);
        await().atMost(Duration.ofSeconds(10)).until(() -> port_.latestAudit(rejected).status() == AuditStatus.REJECTED);
        assertThat(port_.latestAudit(rejected).reason()).isEqualTo("no");
        assertThat(port_.latestAudit(rejected).screenshots()).hasSize(2);
    }
}
