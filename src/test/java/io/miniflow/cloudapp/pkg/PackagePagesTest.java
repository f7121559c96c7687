package io.miniflow.cloudapp.pkg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import io.miniflow.MiniflowIntegrationTest;

/** The Packages section of the app page: upload from the form, the list, refusals as a flash, delete confirmed. */
@MiniflowIntegrationTest
class PackagePagesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @Test
    void shouldUploadListAndDeleteFromTheAppPage() throws Exception {
        String name = "pkgpage" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        mvc.perform(post("/environments").with(developer()).with(csrf())
                .param("workspace", "Demo").param("name", name).param("runtime", "NODEJS"))
            .andExpect(status().is3xxRedirection());
        String page = "/environments/apps/" + name;

        mvc.perform(multipart(page + "/packages").file(new MockMultipartFile("file", "shop.tgz", null,
                TestPackages.nodeTgz())).param("version", "v7").with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl(page + "#packages"))
            .andExpect(flash().attribute("message", containsString("v7")));
        mvc.perform(multipart(page + "/packages").file(new MockMultipartFile("file", "shop.zip", null,
                TestPackages.phpZip())).with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection())
            .andExpect(flash().attribute("error", containsString("must be a tgz file")));

        mvc.perform(get(page).with(developer()))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString("id=\"packages\"")))
            .andExpect(content().string(containsString("v7")))
            .andExpect(content().string(containsString("conf/nginx.test.conf")))
            .andExpect(content().string(containsString("enctype=\"multipart/form-data\"")));
        mvc.perform(get(page).with(developer()).param("lang", "zh-CN"))
            .andExpect(status().isOk()).andExpect(content().string(containsString("发布包")));
        mvc.perform(get(page).with(user("reviewer").authorities(() -> "workspace-reviewer",
                () -> "Demo.workspace-reviewer")))
            .andExpect(status().isOk()).andExpect(content().string(containsString("v7")))
            .andExpect(content().string(not(containsString("multipart/form-data"))));

        mvc.perform(post(page + "/packages/v7/delete").with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(flash().attributeExists("error"));
        assertThat(count(name)).isEqualTo(1);
        mvc.perform(post(page + "/packages/v7/delete").param("confirm", "true").with(developer()).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(flash().attribute("message", containsString("v7")));
        assertThat(count(name)).isZero();
    }

    private long count(String app) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_package p JOIN mf_cloud_app a ON a.id = p.app_id WHERE a.name = ?")
            .param(app).query(Long.class).single();
    }

    private static RequestPostProcessor developer() {
        return user("developer").authorities(() -> "workspace-developer", () -> "Demo.workspace-developer");
    }
}
