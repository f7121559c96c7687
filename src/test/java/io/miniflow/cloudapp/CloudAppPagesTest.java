package io.miniflow.cloudapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import io.miniflow.MiniflowIntegrationTest;
import io.miniflow.cloudapp.CloudAppRequests.NewCloudApp;
import io.miniflow.identity.CurrentUser;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** The console pages of cloud apps under /environments, in English and Chinese. */
@MiniflowIntegrationTest
class CloudAppPagesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    CloudAppService service;
    @Autowired
    EnvironmentBuilds builds;

    @Test
    void createFromTheFormThenSeeTheCardAndTheEnvironmentTabs() throws Exception {
        String name = newName();
        mvc.perform(post("/environments").with(developer()).with(csrf())
                .param("workspace", "Demo").param("name", name).param("runtime", "PHP").param("description", "Shop"))
            .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/environments/apps/" + name));

        mvc.perform(get("/environments").with(developer()).param("q", name))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("/environments/apps/" + name)))
            .andExpect(content().string(containsString("NOT_BUILT")));
        mvc.perform(get("/environments/apps/" + name).with(developer()).param("env", "prod").param("lang", "zh-CN"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("生产环境")))
            .andExpect(content().string(containsString("构建记录")));
    }

    @Autowired
    org.camunda.bpm.engine.RuntimeService runtime;

    @Test
    void anEditorOrdersABuildFromTheTabAndBadChoicesOrderNothing() throws Exception {
        String name = newName();
        mvc.perform(post("/environments").with(developer()).with(csrf())
                .param("workspace", "Demo").param("name", name).param("runtime", "SPRING_BOOT"))
            .andExpect(status().is3xxRedirection());
        mvc.perform(get("/environments/apps/" + name).with(developer()).param("env", "prod"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("value=\"STANDARD:12\"")))
            .andExpect(content().string(containsString("name=\"certificatePem\"")));
        mvc.perform(get("/environments/apps/" + name).with(user("reviewer").authorities(() -> "workspace-reviewer",
                () -> "Demo.workspace-reviewer")).param("env", "test"))
            .andExpect(status().isOk())
            .andExpect(content().string(org.hamcrest.Matchers.not(containsString("name=\"plan\""))));
        long before = jdbc.sql("SELECT COUNT(*) FROM mf_cloud_order").query(Long.class).single();

        mvc.perform(post("/environments/apps/" + name + "/prod/builds").with(developer()).with(csrf())
                .param("plan", "STARTER:1").param("domain", "shop.example.com"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("field-err")));
        mvc.perform(post("/environments/apps/" + name + "/test/builds").with(developer()).with(csrf())
                .param("plan", "STARTER:7"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("field-err")));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_cloud_order").query(Long.class).single()).isEqualTo(before);

        mvc.perform(post("/environments/apps/" + name + "/test/builds").with(developer()).with(csrf())
                .param("plan", "STARTER:1"))
            .andExpect(status().is3xxRedirection())
            .andExpect(redirectedUrl("/environments/apps/" + name + "?env=test"));
        String process = jdbc.sql("SELECT b.process_instance_id FROM mf_cloud_build b JOIN mf_cloud_env e"
            + " ON e.id = b.env_id JOIN mf_cloud_app a ON a.id = e.app_id WHERE a.name = ?").param(name)
            .query(String.class).single();
        assertThat(jdbc.sql("SELECT b.started_by FROM mf_cloud_build b WHERE b.process_instance_id = ?")
            .param(process).query(String.class).single()).isEqualTo("developer");
        // Nobody pays: end it, so it does not poll its order under later tests.
        TestBuilds.end(runtime, process);
    }

    @Test
    void badFieldsInTheFormAreShownAndNothingIsCreated() throws Exception {
        long before = jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app").query(Long.class).single();
        mvc.perform(post("/environments").with(developer()).with(csrf())
                .param("workspace", "Demo").param("name", "Bad-Name").param("runtime", "PHP"))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("lowercase letters and digits only")));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void theEnvironmentTabShowsServersWeightsOrderAndStepsAndThePasswordToAdminsOnly() throws Exception {
        String name = newName();
        service.create(new CurrentUser("developer", java.util.Set.of()), new NewCloudApp("Demo", name, "NODEJS", null));
        BuildTicket ticket = service.requestBuild(new CurrentUser("developer", java.util.Set.of()), name, "test",
            "STANDARD", 1, null, null, null);
        builds.codeUrl(ticket.outTradeNo(), "weixin://wxpay/bizpayurl?pr=qr1");
        builds.instance(ticket.buildId(), "i-web1", "10.1.0.1");
        builds.loadBalancer(ticket.buildId(), "lb-web", "47.1.0.1");
        builds.backendWeight(ticket.buildId(), "i-web1", 100);
        builds.database(ticket.buildId(), DatabaseKind.RDS, "rm-web", "rm-web.mysql", 3306, "web", "app", "pa55word");
        builds.step(ticket.buildId(), "Task_CreateOrder", StepStatus.DONE, "order " + ticket.outTradeNo());

        mvc.perform(get("/environments/apps/" + name).with(developer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("i-web1")))
            .andExpect(content().string(containsString("47.1.0.1")))
            .andExpect(content().string(containsString("weixin://wxpay/bizpayurl?pr=qr1")))
            .andExpect(content().string(containsString("Task_CreateOrder")))
            .andExpect(content().string(containsString("899.00")))
            .andExpect(content().string(not(containsString("password=true"))))
            .andExpect(content().string(not(containsString("pa55word"))));
        mvc.perform(get("/environments/apps/" + name).with(developer()).param("password", "true"))
            .andExpect(status().isForbidden());
        mvc.perform(get("/environments/apps/" + name).with(admin()))
            .andExpect(content().string(containsString("password=true")));
        mvc.perform(get("/environments/apps/" + name).with(admin()).param("password", "true"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("pa55word")));
        builds.paid(ticket.outTradeNo(), "tx", Instant.now());
    }

    @Test
    void deleteAsksForConfirmationFirst() throws Exception {
        String name = newName();
        service.create(new CurrentUser("developer", java.util.Set.of()), new NewCloudApp("Demo", name, "NODEJS", null));
        mvc.perform(get("/environments/apps/" + name + "/delete").with(developer()).param("lang", "zh-CN"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("将被永久删除")));
        mvc.perform(post("/environments/apps/" + name + "/delete").with(developer()).with(csrf()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("deleted for good")));
        assertThat(exists(name)).isTrue();
        mvc.perform(post("/environments/apps/" + name + "/delete").with(developer()).with(csrf()).param("confirm", "true"))
            .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/environments"));
        assertThat(exists(name)).isFalse();
    }

    @Test
    void anAppOfAnotherWorkspaceIsNotFound() throws Exception {
        String name = newName();
        service.create(new CurrentUser("developer", java.util.Set.of()), new NewCloudApp("Demo", name, "NODEJS", null));
        RequestPostProcessor outsider = user("outsider" + UUID.randomUUID().toString().substring(0, 6));
        mvc.perform(get("/environments/apps/" + name).with(outsider)).andExpect(status().isNotFound());
        mvc.perform(get("/environments/apps/" + name + "/delete").with(outsider)).andExpect(status().isNotFound());
        mvc.perform(post("/environments/apps/" + name + "/delete").with(outsider).with(csrf()).param("confirm", "true"))
            .andExpect(status().isNotFound());
        assertThat(exists(name)).isTrue();
    }

    @Test
    void theUnpaidOrdersQrCodeDecodesToItsCodeUrlForMembersOnly() throws Exception {
        String name = newName();
        CurrentUser developer = new CurrentUser("developer", java.util.Set.of());
        service.create(developer, new NewCloudApp("Demo", name, "NODEJS", null));
        String qr = "/environments/apps/" + name + "/test/order-qr.png";
        mvc.perform(get(qr).with(developer())).andExpect(status().isNotFound());

        BuildTicket ticket = service.requestBuild(developer, name, "test", "STARTER", 1, null, null, null);
        builds.codeUrl(ticket.outTradeNo(), "weixin://wxpay/bizpayurl?pr=qrpage1");
        mvc.perform(get("/environments/apps/" + name).with(developer()))
            .andExpect(content().string(containsString(qr)))
            .andExpect(content().string(containsString("http-equiv=\"refresh\"")))
            .andExpect(content().string(containsString("Scan with WeChat to pay " + String.format("%.2f",
                ticket.amountFen() / 100.0) + " yuan")));
        MvcResult png = mvc.perform(get(qr).with(developer())).andExpect(status().isOk())
            .andExpect(content().contentType(MediaType.IMAGE_PNG))
            .andExpect(header().string("Cache-Control", containsString("no-store"))).andReturn();
        var image = ImageIO.read(new ByteArrayInputStream(png.getResponse().getContentAsByteArray()));
        assertThat(new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
            new BufferedImageLuminanceSource(image)))).getText()).isEqualTo("weixin://wxpay/bizpayurl?pr=qrpage1");

        RequestPostProcessor outsider = user("outsider" + UUID.randomUUID().toString().substring(0, 6));
        mvc.perform(get(qr).with(outsider)).andExpect(status().isNotFound());

        builds.paid(ticket.outTradeNo(), "tx-qr", Instant.now());
        mvc.perform(get(qr).with(developer())).andExpect(status().isNotFound());
        mvc.perform(get("/environments/apps/" + name).with(developer()))
            .andExpect(content().string(not(containsString(qr))));
    }

    private boolean exists(String name) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app WHERE name = ?").param(name).query(Long.class).single() > 0;
    }

    private static RequestPostProcessor developer() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }

    private static RequestPostProcessor admin() {
        return user("admin").authorities(() -> "workspace-admin", () -> "Demo.workspace-admin");
    }

    private static String newName() {
        return "page" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }
}
