package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Every change and delete of the PaaS console's objects through the API (issue #20): apps (name, engine, packages),
 * business environments, deploy and storage configs, component packages, components and groups; the refusal rules
 * (published, in use, not empty, confirmation needed), the audit log, and the deploy writing to the storage config.
 */
@MiniflowIntegrationTest
class AppChangesApiTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Autowired
    LocalDirectoryDeployTarget deployTarget;

    // --- apps

    @Test
    void renamingAnAppChangesItsNameAndIsAudited() throws Exception {
        String app = newApp();
        call(put("/api/apps/{a}/name", app), "developer", "{\"name\":\"Shop renamed\",\"description\":\"new words\"}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Shop renamed"))
            .andExpect(jsonPath("$.description").value("new words"));
        assertThat(appColumn(app, "name")).isEqualTo("Shop renamed");
        assertThat(audit("APP_RENAMED", app)).contains("developer");
    }

    @Test
    void aLowerEngineNeedsConfirmationAndAHigherOneDoesNot() throws Exception {
        String app = newApp();
        call(put("/api/apps/{a}/engine", app), "developer", "{\"engineVersion\":\"1.2.0\"}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.engineVersion").value("1.2.0"));
        call(put("/api/apps/{a}/engine", app), "developer", "{\"engineVersion\":\"1.1.9\"}")
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.engine.confirmDowngrade"));
        assertThat(appColumn(app, "engine_version")).isEqualTo("1.2.0");
        call(put("/api/apps/{a}/engine", app), "developer", "{\"engineVersion\":\"1.1.9\",\"confirm\":true}")
            .andExpect(status().isOk());
        assertThat(appColumn(app, "engine_version")).isEqualTo("1.1.9");
        assertThat(audit("APP_ENGINE_CHANGED", app)).contains("1.2.0 -> 1.1.9");
    }

    @Test
    void droppingAPackageNeedsConfirmationAndAnUnknownOneChangesNothing() throws Exception {
        String ui = registerPackage("ui", "1.0.0");
        String maps = registerPackage("maps", "2.0.0");
        String app = newApp();
        call(put("/api/apps/{a}/packages", app), "developer", "{\"packages\":[\"" + ui + "\"]}")
            .andExpect(status().isOk()).andExpect(jsonPath("$[0].name").value(ui.split("@")[0]));
        call(put("/api/apps/{a}/packages", app), "developer", "{\"packages\":[\"" + maps + "\"]}")
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.packages.confirmRemoval"));
        assertThat(packagesOf(app)).containsExactly(ui);
        call(put("/api/apps/{a}/packages", app), "developer", "{\"packages\":[\"" + ui + "\",\"nope@1.0.0\"]}")
            .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("app.package.unknown"));
        assertThat(packagesOf(app)).containsExactly(ui);
        call(put("/api/apps/{a}/packages", app), "developer", "{\"packages\":[\"" + maps + "\"],\"confirm\":true}")
            .andExpect(status().isOk());
        assertThat(packagesOf(app)).containsExactly(maps);
    }

    @Test
    void anAppWithAPublishedVersionIsNotDeletedAndOneWithoutIs() throws Exception {
        String published = "del" + suffix();
        JsonNode started = DemoApps.publishingToDev(mvc, published, "1.0.0");
        awaitStatus(started.get("statusUrl").asText(), "PUBLISHED");
        call(delete("/api/apps/{a}", published), "developer", null)
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.delete.published"))
            .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("dev 1.0.0")));
        assertThat(count("mf_app WHERE app_code = '" + published + "'")).isEqualTo(1);

        String unused = newApp();
        createEnvironment(unused, "dev", null, null);
        // Its keys go with it.
        call(post("/api/apps/{a}/keys", unused), "admin", "{\"kind\":\"UPLOAD\"}").andExpect(status().isCreated());
        long appId = jdbc.sql("SELECT id FROM mf_app WHERE app_code = ?").param(unused).query(Long.class).single();
        assertThat(count("mf_app_key WHERE app_id = " + appId)).isEqualTo(1);
        // And its tenants' default privacy guide: a new app of the same code starts without it.
        jdbc.sql("INSERT INTO mf_privacy_guide (scope, scope_key, guide_json, updated_by, updated_at)"
            + " VALUES ('APP', ?, '{}', 'developer', CURRENT_TIMESTAMP)").param(unused).update();
        call(delete("/api/apps/{a}", unused), "developer", null).andExpect(status().isNoContent());
        assertThat(count("mf_app WHERE app_code = '" + unused + "'")).isZero();
        assertThat(count("mf_app_key WHERE app_id = " + appId)).isZero();
        assertThat(count("mf_privacy_guide WHERE scope = 'APP' AND scope_key = '" + unused + "'")).isZero();
        assertThat(audit("APP_DELETED", unused)).contains("developer");
        call(get("/api/apps/{a}", unused), "developer", null).andExpect(status().isNotFound());
    }

    @Test
    void aReviewerCannotChangeOrDeleteAnApp() throws Exception {
        String app = newApp();
        call(put("/api/apps/{a}/name", app), "reviewer", "{\"name\":\"Mine now\"}").andExpect(status().isForbidden());
        call(delete("/api/apps/{a}", app), "reviewer", null).andExpect(status().isForbidden());
        assertThat(appColumn(app, "name")).isEqualTo(app);
    }

    // --- environments

    @Test
    void anEnvironmentsDomainsConfigsAndApprovalRuleChange() throws Exception {
        String app = newApp();
        String storage = createStorageConfig("files");
        createEnvironment(app, "test", "default", null);
        call(put("/api/apps/{a}/environments/test", app), "developer", "{\"name\":\"Testing\","
                + "\"domain\":\"https://t2.example.com\",\"apiDomain\":\"https://api-t2.example.com\","
                + "\"deployConfig\":\"\",\"storageConfig\":\"" + storage + "\",\"requiresApproval\":true,"
                + "\"requiredApprovals\":2}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.domain").value("https://t2.example.com"))
            .andExpect(jsonPath("$.deployConfig").doesNotExist())
            .andExpect(jsonPath("$.storageConfig").value(storage))
            .andExpect(jsonPath("$.requiredApprovals").value(2));
        assertThat(audit("APP_ENVIRONMENT_CHANGED", app + "/test")).contains("approvals=0").contains("approvals=2");
    }

    @Test
    void anEnvironmentWhereAVersionWasPublishedIsNotDeleted() throws Exception {
        String app = "env" + suffix();
        awaitStatus(DemoApps.publishingToDev(mvc, app, "1.0.0").get("statusUrl").asText(), "PUBLISHED");
        createEnvironment(app, "test", null, null);
        call(delete("/api/apps/{a}/environments/dev", app), "developer", null)
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.environment.published"));
        assertThat(count("mf_app_environment e JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = '" + app + "'"))
            .isEqualTo(2);
        call(delete("/api/apps/{a}/environments/test", app), "developer", null).andExpect(status().isNoContent());
        assertThat(count("mf_app_environment e JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = '" + app + "'"))
            .isEqualTo(1);
        assertThat(audit("APP_ENVIRONMENT_DELETED", app + "/test")).contains("developer");
    }

    // --- configs

    @Test
    void deployConfigsAreSearchedPagedEditedAndDeletedOnlyWhenUnused() throws Exception {
        String tag = suffix();
        for (int i = 0; i < 3; i++) {
            createDeployConfig("page" + tag + i);
        }
        call(get("/api/workspaces/Demo/deploy-configs?q=page" + tag + "&size=2"), "reviewer", null)
            .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(3))
            .andExpect(jsonPath("$.items.length()").value(2))
            .andExpect(jsonPath("$.items[0].name").value("page" + tag + "0"));
        call(get("/api/workspaces/Demo/deploy-configs?q=page" + tag + "&size=2&page=2"), "reviewer", null)
            .andExpect(jsonPath("$.items.length()").value(1));

        String name = "page" + tag + "0";
        call(put("/api/workspaces/Demo/deploy-configs/{n}", name), "developer", "{\"name\":\"" + name + "x\","
                + "\"cloudVendor\":\"tencent\",\"deployPath\":\"/moved\",\"deployDomain\":\"https://cdn.example.com\","
                + "\"accessPath\":\"/s\",\"note\":\"moved\"}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.deployPath").value("/moved"));
        assertThat(audit("DEPLOY_CONFIG_CHANGED", name + "x")).contains("/moved");

        String app = newApp();
        createEnvironment(app, "dev", name + "x", null);
        call(delete("/api/workspaces/Demo/deploy-configs/{n}", name + "x"), "developer", null)
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.config.inUse"))
            .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString(app + "/dev")));
        call(delete("/api/workspaces/Demo/deploy-configs/{n}", "page" + tag + "1"), "developer", null)
            .andExpect(status().isNoContent());
        assertThat(count("mf_deploy_config WHERE name LIKE 'page" + tag + "%'")).isEqualTo(2);
    }

    @Test
    void storageConfigsAreEditedAndDeletedOnlyWhenUnused() throws Exception {
        String used = createStorageConfig("used");
        String free = createStorageConfig("free");
        call(put("/api/workspaces/Demo/storage-configs/{n}", free), "developer", "{\"name\":\"" + free + "\","
                + "\"vendor\":\"aliyun-oss\",\"bucket\":\"images-2\",\"region\":\"cn-hangzhou\","
                + "\"baseUrl\":\"https://img2.example.com\"}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.bucket").value("images-2"));
        call(get("/api/workspaces/Demo/storage-configs?q=" + free), "developer", null)
            .andExpect(jsonPath("$.items[0].region").value("cn-hangzhou"));
        String app = newApp();
        createEnvironment(app, "dev", null, used);
        call(delete("/api/workspaces/Demo/storage-configs/{n}", used), "developer", null)
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.config.inUse"));
        call(delete("/api/workspaces/Demo/storage-configs/{n}", free), "developer", null)
            .andExpect(status().isNoContent());
        assertThat(count("mf_storage_config WHERE name IN ('" + used + "', '" + free + "')")).isEqualTo(1);
        assertThat(audit("STORAGE_CONFIG_DELETED", free)).contains("developer");
    }

    // --- packages, components, groups

    @Test
    void aPackageIsEditedAndDeletedOnlyWhenNoAppUsesIt() throws Exception {
        String ref = registerPackage("forms", "1.0.0");
        String name = ref.split("@")[0];
        call(put("/api/workspaces/Demo/component-packages/{n}/1.0.0", name), "developer",
                "{\"repositoryUrl\":\"git@git.example.com:team/forms.git\",\"description\":\"Form widgets\"}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.repositoryUrl").value("git@git.example.com:team/forms.git"));
        call(get("/api/workspaces/Demo/component-packages?q=" + name), "reviewer", null)
            .andExpect(jsonPath("$.total").value(1)).andExpect(jsonPath("$.items[0].description").value("Form widgets"));
        String app = newApp(ref);
        call(delete("/api/workspaces/Demo/component-packages/{n}/1.0.0", name), "developer", null)
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.package.inUse"));
        call(put("/api/apps/{a}/packages", app), "developer", "{\"packages\":[],\"confirm\":true}")
            .andExpect(status().isOk());
        call(delete("/api/workspaces/Demo/component-packages/{n}/1.0.0", name), "developer", null)
            .andExpect(status().isNoContent());
        assertThat(count("mf_component_package WHERE name = '" + name + "'")).isZero();
    }

    @Test
    void componentsGetTheirDetailsAndGroupsAreOrderedRenamedAndDeletedWhenEmpty() throws Exception {
        String tag = suffix();
        String basic = "Basic " + tag;
        call(post("/api/workspaces/Demo/component-groups"), "developer", "{\"name\":\"" + basic + "\",\"sortOrder\":20}")
            .andExpect(status().isCreated()).andExpect(jsonPath("$.sortOrder").value(20));
        call(post("/api/workspaces/Demo/component-groups"), "developer", "{\"name\":\"First " + tag + "\",\"sortOrder\":10}")
            .andExpect(status().isCreated());
        call(get("/api/workspaces/Demo/component-groups?q=" + tag), "reviewer", null)
            .andExpect(jsonPath("$.items[0].name").value("First " + tag))
            .andExpect(jsonPath("$.items[1].name").value(basic));

        String ref = registerPackage("widgets", "1.0.0");
        String pkg = ref.split("@")[0];
        call(put("/api/workspaces/Demo/component-packages/{p}/1.0.0/components/button", pkg), "developer",
                "{\"name\":\"button\",\"title\":\"按钮\",\"icon\":\"icon-button\",\"description\":\"A button\","
                    + "\"group\":\"" + basic + "\"}")
            .andExpect(status().isOk()).andExpect(jsonPath("$.title").value("按钮"))
            .andExpect(jsonPath("$.group").value(basic));
        call(delete("/api/workspaces/Demo/component-groups/{g}", basic), "developer", null)
            .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("app.group.notEmpty"));

        call(put("/api/workspaces/Demo/component-groups/{g}", basic), "developer",
                "{\"name\":\"Base " + tag + "\",\"sortOrder\":5}")
            .andExpect(status().isOk());
        call(get("/api/workspaces/Demo/component-groups?q=" + tag), "reviewer", null)
            .andExpect(jsonPath("$.items[0].name").value("Base " + tag))
            .andExpect(jsonPath("$.items[0].components").value(1));
        call(get("/api/workspaces/Demo/component-packages?q=" + pkg), "reviewer", null)
            .andExpect(jsonPath("$.items[0].components[0].group").value("Base " + tag));

        call(put("/api/workspaces/Demo/component-packages/{p}/1.0.0/components/button", pkg), "developer",
                "{\"name\":\"button\",\"group\":\"\"}").andExpect(status().isOk());
        call(delete("/api/workspaces/Demo/component-groups/{g}", "Base " + tag), "developer", null)
            .andExpect(status().isNoContent());
        assertThat(count("mf_component_group WHERE name = 'Base " + tag + "'")).isZero();
        assertThat(audit("COMPONENT_GROUP_DELETED", "Base " + tag)).contains("developer");
    }

    // --- deploys

    @Test
    void aDeployWritesToTheEnvironmentsStorageAndListsThePackagesInItsManifest() throws Exception {
        String ref = registerPackage("charts", "3.1.0");
        String storage = createStorageConfig("cdn");
        String app = newApp(ref);
        createEnvironment(app, "dev", "default", storage);
        createEnvironment(app, "test", "default", null);
        String devStatus = publishTo(app, "dev", "1.0.0");
        String testStatus = publishTo(app, "test", "1.0.0");
        awaitStatus(devStatus, "PUBLISHED");
        awaitStatus(testStatus, "PUBLISHED");

        assertThat(storageLocation(app, "dev")).isEqualTo("https://" + storage + ".example.com/" + app + "/dev/");
        assertThat(Files.isRegularFile(deployTarget.root().resolve("_storage").resolve("bucket-" + storage)
            .resolve(app).resolve("dev").resolve("files.json"))).isTrue();
        // Without a storage config: the platform's default.
        assertThat(storageLocation(app, "test")).isEqualTo("https://files.miniflow.local/" + app + "/test/");
        assertThat(Files.isRegularFile(deployTarget.root().resolve("_storage/miniflow-public").resolve(app)
            .resolve("test").resolve("files.json"))).isTrue();

        Map<String, Object> manifest = json.readValue(Files.readAllBytes(deployTarget.root().resolve("minapp").resolve(app)
            .resolve("dev").resolve("current.json")), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat((List<?>) manifest.get("packages")).singleElement().satisfies(p -> assertThat(asMap(p))
            .containsEntry("name", ref.split("@")[0]).containsEntry("version", "3.1.0")
            .containsEntry("repositoryUrl", "https://git.example.com/team/" + ref.split("@")[0] + ".git"));
        assertThat(asMap(manifest.get("storage"))).containsEntry("config", storage);
    }

    // --- helpers

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    static String suffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    ResultActions call(MockHttpServletRequestBuilder request, String user, String body) throws Exception {
        request.with(httpBasic(user, user));
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        return mvc.perform(request);
    }

    String newApp(String... packages) throws Exception {
        String app = "chg" + suffix();
        String refs = packages.length == 0 ? "" : ",\"packages\":" + json.writeValueAsString(List.of(packages));
        call(post("/api/apps"), "developer", "{\"workspace\":\"Demo\",\"appCode\":\"" + app + "\",\"name\":\"" + app
            + "\",\"engineVersion\":\"1.0.0\"" + refs + "}").andExpect(status().isCreated());
        return app;
    }

    void createEnvironment(String app, String env, String deployConfig, String storageConfig) throws Exception {
        call(post("/api/apps/{a}/environments", app), "developer", "{\"envCode\":\"" + env + "\",\"name\":\"" + env
            + "\",\"domain\":\"https://" + env + ".example.com\",\"apiDomain\":\"https://api-" + env + ".example.com\""
            + (deployConfig == null ? "" : ",\"deployConfig\":\"" + deployConfig + "\"")
            + (storageConfig == null ? "" : ",\"storageConfig\":\"" + storageConfig + "\"")
            + ",\"requiresApproval\":false}").andExpect(status().isCreated());
    }

    String createDeployConfig(String name) throws Exception {
        call(post("/api/deploy-configs"), "developer", "{\"workspace\":\"Demo\",\"name\":\"" + name + "\","
            + "\"cloudVendor\":\"aliyun\",\"deployPath\":\"/p\",\"deployDomain\":\"https://d.example.com\","
            + "\"accessPath\":\"/a\"}").andExpect(status().isCreated());
        return name;
    }

    String createStorageConfig(String prefix) throws Exception {
        String name = prefix + suffix();
        call(post("/api/storage-configs"), "developer", "{\"workspace\":\"Demo\",\"name\":\"" + name + "\","
            + "\"vendor\":\"aliyun-oss\",\"bucket\":\"bucket-" + name + "\",\"baseUrl\":\"https://" + name
            + ".example.com\"}").andExpect(status().isCreated());
        return name;
    }

    String registerPackage(String prefix, String version) throws Exception {
        String name = prefix + suffix();
        call(post("/api/component-packages"), "developer", "{\"workspace\":\"Demo\",\"name\":\"" + name + "\","
            + "\"version\":\"" + version + "\",\"repositoryUrl\":\"https://git.example.com/team/" + name + ".git\","
            + "\"components\":[{\"name\":\"button\"},{\"name\":\"card\"}]}").andExpect(status().isCreated())
            .andExpect(jsonPath("$.repositoryUrl").value("https://git.example.com/team/" + name + ".git"));
        return name + "@" + version;
    }

    String publishTo(String app, String env, String version) throws Exception {
        return json.readTree(call(post("/api/apps/{a}/environments/{e}/publishes", app, env), "developer",
                "{\"version\":\"" + version + "\"}").andExpect(status().isAccepted()).andReturn().getResponse()
            .getContentAsString()).get("statusUrl").asText();
    }

    void awaitStatus(String statusUrl, String expected) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
            expected.equals(json.readTree(mvc.perform(get(statusUrl).with(httpBasic("developer", "developer")))
                .andReturn().getResponse().getContentAsString()).path("status").asText()));
    }

    String appColumn(String app, String column) {
        return jdbc.sql("SELECT " + column + " FROM mf_app WHERE app_code = ?").param(app).query(String.class).single();
    }

    List<String> packagesOf(String app) {
        return jdbc.sql("SELECT p.name || '@' || p.version FROM mf_component_package p JOIN mf_app_package ap"
            + " ON ap.package_id = p.id JOIN mf_app a ON a.id = ap.app_id WHERE a.app_code = ?").param(app)
            .query(String.class).list();
    }

    String storageLocation(String app, String env) {
        return jdbc.sql("SELECT v.storage_location FROM mf_app_version v JOIN mf_app_environment e"
                + " ON e.id = v.environment_id JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ? AND e.env_code = ?")
            .params(app, env).query(String.class).single();
    }

    String audit(String action, String objectId) {
        return String.join("\n", jdbc.sql("SELECT actor || ' ' || COALESCE(detail, '') FROM mf_audit_log"
                + " WHERE action = ? AND object_id = ?").params(action, objectId).query(String.class).list());
    }

    long count(String fromWhere) {
        return jdbc.sql("SELECT COUNT(*) FROM " + fromWhere).query(Long.class).single();
    }
}
