package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import io.miniflow.MiniflowIntegrationTest;

/**
 * The console pages that change and delete (issue #20): each list searches, pages and says when it is empty; each
 * delete shows a confirmation page first and only its POST deletes; a change that stops something asks first.
 */
@MiniflowIntegrationTest
class AppChangesPagesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    static RequestPostProcessor developer() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @Test
    void theResourceListsShowSeed000sColumnsSearchAndSayWhenNothingMatches() throws Exception {
        mvc.perform(get("/apps/configs").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/apps/configs/Demo/deploy/default/edit")))
            .andExpect(content().string(containsString("Deploy path")))
            .andExpect(content().string(containsString("Access path")));
        mvc.perform(get("/apps/configs").param("q", "nothing-like-this").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Nothing matches this search.")));
        mvc.perform(get("/apps/storage-configs").with(developer()).param("lang", "zh-CN"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("平台提供的公有文件存储")));
        mvc.perform(get("/apps/component-packages").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("demo-ui")));
        mvc.perform(get("/apps/component-groups").param("q", "Basic").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/apps/component-groups/Demo/Basic/edit")));
    }

    @Test
    void aDeployConfigIsEditedInTheConsoleAndDeletedOnlyAfterItsConfirmationPage() throws Exception {
        String name = "page-cfg-" + suffix();
        mvc.perform(post("/apps/configs/deploy").with(developer()).with(csrf()).param("workspace", "Demo")
                .param("name", name).param("cloudVendor", "aliyun").param("deployPath", "/p")
                .param("deployDomain", "https://d.example.com").param("accessPath", "/a"))
            .andExpect(status().is3xxRedirection());
        mvc.perform(get("/apps/configs/Demo/deploy/{n}/edit", name).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("value=\"/p\"")));
        // A bad path re-renders the form with the rule and changes nothing.
        mvc.perform(post("/apps/configs/Demo/deploy/{n}/edit", name).with(developer()).with(csrf())
                .param("name", name).param("cloudVendor", "aliyun").param("deployPath", "p/../x")
                .param("deployDomain", "https://d.example.com").param("accessPath", "/a"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/minapp/shop")));
        assertThat(deployPath(name)).isEqualTo("/p");
        mvc.perform(post("/apps/configs/Demo/deploy/{n}/edit", name).with(developer()).with(csrf())
                .param("name", name).param("cloudVendor", "tencent").param("deployPath", "/q")
                .param("deployDomain", "https://d.example.com").param("accessPath", "/a").param("note", "moved"))
            .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/apps/configs?workspace=Demo"));
        assertThat(deployPath(name)).isEqualTo("/q");

        mvc.perform(get("/apps/configs/Demo/deploy/{n}/delete", name).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Delete deploy config " + name)))
            .andExpect(content().string(containsString("/apps/configs/Demo/deploy/" + name + "/delete")));
        assertThat(deployPath(name)).as("the confirmation page deletes nothing").isEqualTo("/q");
        mvc.perform(post("/apps/configs/Demo/deploy/{n}/delete", name).with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(flash().attribute("message", name + " is deleted."));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_deploy_config WHERE name = ?").param(name).query(Long.class)
            .single()).isZero();
    }

    @Test
    void theDefaultDeployConfigInUseIsRefusedWithTheReason() throws Exception {
        mvc.perform(post("/apps/configs/Demo/deploy/default/delete").with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection())
            .andExpect(flash().attribute("error", containsString("demo/dev")));
        assertThat(deployPath("default")).isEqualTo("/minapp");
    }

    @Test
    void anEngineDowngradeInTheConsoleShowsAConfirmationThatThenChangesIt() throws Exception {
        String app = "page" + suffix();
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"appCode\":\"" + app + "\",\"name\":\"Page app\","
                    + "\"engineVersion\":\"2.0.0\"}"))
            .andExpect(status().isCreated());
        mvc.perform(get("/apps/{a}/edit", app).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("demo-ui@1.0.0")));
        mvc.perform(post("/apps/{a}/engine", app).with(developer()).with(csrf()).param("engineVersion", "1.5.0"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Confirm the downgrade")))
            .andExpect(content().string(containsString("name=\"confirm\" value=\"true\"")));
        assertThat(engine(app)).isEqualTo("2.0.0");
        mvc.perform(post("/apps/{a}/engine", app).with(developer()).with(csrf()).param("engineVersion", "1.5.0")
                .param("confirm", "true"))
            .andExpect(status().is3xxRedirection());
        assertThat(engine(app)).isEqualTo("1.5.0");

        mvc.perform(post("/apps/{a}/name", app).with(developer()).with(csrf()).param("name", "Renamed page app"))
            .andExpect(status().is3xxRedirection());
        mvc.perform(get("/apps/{a}", app).with(developer()))
            .andExpect(content().string(containsString("Renamed page app")))
            .andExpect(content().string(containsString("/apps/" + app + "/delete")));

        mvc.perform(get("/apps/{a}/delete", app).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Delete app " + app)));
        mvc.perform(post("/apps/{a}/delete", app).with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/apps"));
        mvc.perform(get("/apps").with(developer())).andExpect(content().string(not(containsString("/apps/" + app))));
    }

    @Test
    void anEnvironmentIsEditedFromItsPageAndAPublishedOneIsNotDeleted() throws Exception {
        mvc.perform(get("/apps/demo/environments/test/edit").with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("Platform default")));
        mvc.perform(post("/apps/demo/environments/test/edit").with(developer()).with(csrf()).param("name", "Test")
                .param("domain", "not a url").param("apiDomain", "https://api-test.demo.miniflow.local")
                .param("deployConfig", "default").param("storageConfig", "platform").param("_requiresApproval", "on")
                .param("requiredApprovals", "1"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("https://shop.example.com")));
        assertThat(jdbc.sql("SELECT e.domain FROM mf_app_environment e JOIN mf_app a ON a.id = e.app_id"
            + " WHERE a.app_code = 'demo' AND e.env_code = 'test'").query(String.class).single())
            .isEqualTo("https://test.demo.miniflow.local");

        String app = "penv" + suffix();
        DemoApps.publishingToDev(mvc, app, "1.0.0");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.sql(
                "SELECT COUNT(*) FROM mf_app_version v JOIN mf_app_environment e ON e.id = v.environment_id"
                    + " JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ? AND v.status = 'PUBLISHED'")
            .param(app).query(Long.class).single() == 1);
        mvc.perform(post("/apps/{a}/environments/dev/delete", app).with(developer()).with(csrf()).param("lang", "zh-CN"))
            .andExpect(status().is3xxRedirection())
            .andExpect(flash().attribute("error", containsString("已发布过版本")));
    }

    @Test
    void aComponentGetsItsDesignerDetailsAndAGroupIsCreatedFromTheConsole() throws Exception {
        String group = "Forms " + suffix();
        mvc.perform(post("/apps/component-groups/Demo").with(developer()).with(csrf()).param("name", group)
                .param("sortOrder", "30"))
            .andExpect(status().is3xxRedirection());
        String pkg = "pageui" + suffix();
        mvc.perform(post("/apps/component-packages").with(developer()).with(csrf()).param("workspace", "Demo")
                .param("name", pkg).param("version", "1.0.0").param("repositoryUrl", "https://git.example.com/ui.git")
                .param("componentLines", "input: A text field\nselect"))
            .andExpect(status().is3xxRedirection());
        mvc.perform(get("/apps/component-packages/Demo/{p}/1.0.0", pkg).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString("A text field")))
            .andExpect(content().string(containsString("No app uses it")));
        mvc.perform(get("/apps/component-packages/Demo/{p}/1.0.0/components/input/edit", pkg).with(developer()))
            .andExpect(status().isOk()).andExpect(content().string(containsString(group)));
        mvc.perform(post("/apps/component-packages/Demo/{p}/1.0.0/components/input/edit", pkg).with(developer())
                .with(csrf()).param("name", "input").param("title", "Text field").param("icon", "icon-input")
                .param("description", "One line of text").param("group", group))
            .andExpect(status().is3xxRedirection());
        assertThat(jdbc.sql("SELECT c.title || '|' || g.name FROM mf_component c JOIN mf_component_group g"
                + " ON g.id = c.group_id JOIN mf_component_package p ON p.id = c.package_id WHERE p.name = ?"
                + " AND c.name = 'input'").param(pkg).query(String.class).single())
            .isEqualTo("Text field|" + group);
        // The group now holds a component: its delete is refused with the reason, and it stays.
        mvc.perform(post("/apps/component-groups/Demo/{g}/delete", group).with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(flash().attribute("error", containsString("1 component")));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_component_group WHERE name = ?").param(group).query(Long.class)
            .single()).isEqualTo(1);
    }

    private String deployPath(String name) {
        return jdbc.sql("SELECT deploy_path FROM mf_deploy_config WHERE workspace = 'Demo' AND name = ?").param(name)
            .query(String.class).single();
    }

    private String engine(String app) {
        return jdbc.sql("SELECT engine_version FROM mf_app WHERE app_code = ?").param(app).query(String.class).single();
    }
}
