package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Bad input to the endpoints that change and delete (issue #20): each answers 4xx with a message in both languages
 * where it is a person's error, and the row it aimed at is unchanged afterwards (compared column by column).
 */
@MiniflowIntegrationTest
class AppChangesValidationTest {

    /** The objects every case aims at, made once through the API. */
    static final String APP = "badinput-app";
    static final String DEPLOY = "badinput-deploy";
    static final String STORAGE = "badinput-storage";
    static final String PACKAGE = "badinput-ui";
    static final String GROUP = "Badinput group";

    static final String APP_ROW = "SELECT * FROM mf_app WHERE app_code = '" + APP + "'";
    static final String ENV_ROW = "SELECT e.* FROM mf_app_environment e JOIN mf_app a ON a.id = e.app_id"
        + " WHERE a.app_code = '" + APP + "'";
    static final String PACKAGES_ROW = "SELECT ap.* FROM mf_app_package ap JOIN mf_app a ON a.id = ap.app_id"
        + " WHERE a.app_code = '" + APP + "'";
    static final String DEPLOY_ROW = "SELECT * FROM mf_deploy_config WHERE workspace = 'Demo' AND name IN ('" + DEPLOY
        + "', 'default') ORDER BY name";
    static final String STORAGE_ROW = "SELECT * FROM mf_storage_config WHERE name = '" + STORAGE + "'";
    static final String PACKAGE_ROW = "SELECT * FROM mf_component_package WHERE name = '" + PACKAGE + "'";
    static final String COMPONENT_ROW = "SELECT c.* FROM mf_component c JOIN mf_component_package p"
        + " ON p.id = c.package_id WHERE p.name = '" + PACKAGE + "' ORDER BY c.id";
    static final String GROUPS_ROW = "SELECT * FROM mf_component_group WHERE workspace = 'Demo' ORDER BY id";

    static final String ENV_OK = "{\"name\":\"Dev\",\"domain\":\"https://dev.example.com\","
        + "\"apiDomain\":\"https://api-dev.example.com\",\"requiresApproval\":false}";
    static final String DEPLOY_OK = "{\"name\":\"" + DEPLOY + "\",\"cloudVendor\":\"aliyun\",\"deployPath\":\"/p\","
        + "\"deployDomain\":\"https://d.example.com\",\"accessPath\":\"/a\"}";
    static final String STORAGE_OK = "{\"name\":\"" + STORAGE + "\",\"vendor\":\"oss\",\"bucket\":\"files\","
        + "\"baseUrl\":\"https://files.example.com\"}";

    /** Audit entries about the fixture (other tests' background processes may write their own meanwhile). */
    static final String AUDITS = "SELECT COUNT(*) FROM mf_audit_log WHERE LOWER(object_id) LIKE '%badinput%'";

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    record Case(String name, String method, String url, String user, String body, int status, String rowSql,
                String field) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> badInputs() {
        String app = "/api/apps/" + APP;
        String env = app + "/environments/dev";
        String deploy = "/api/workspaces/Demo/deploy-configs/" + DEPLOY;
        String storage = "/api/workspaces/Demo/storage-configs/" + STORAGE;
        String pkg = "/api/workspaces/Demo/component-packages/" + PACKAGE + "/1.0.0";
        String groups = "/api/workspaces/Demo/component-groups";
        return Stream.of(
            new Case("app name blank", "PUT", app + "/name", "developer", "{\"name\":\"  \"}", 400, APP_ROW, "name"),
            new Case("app name of 101 characters", "PUT", app + "/name", "developer",
                "{\"name\":\"" + "n".repeat(101) + "\"}", 400, APP_ROW, "name"),
            new Case("app description of 501 characters", "PUT", app + "/name", "developer",
                "{\"name\":\"ok\",\"description\":\"" + "d".repeat(501) + "\"}", 400, APP_ROW, "description"),
            new Case("engine 1.0", "PUT", app + "/engine", "developer", "{\"engineVersion\":\"1.0\"}", 400, APP_ROW,
                "engineVersion"),
            new Case("engine v2.0.0", "PUT", app + "/engine", "developer", "{\"engineVersion\":\"v2.0.0\"}", 400,
                APP_ROW, "engineVersion"),
            new Case("packages not name@version", "PUT", app + "/packages", "developer",
                "{\"packages\":[\"nope\"],\"confirm\":true}", 400, PACKAGES_ROW, null),
            new Case("packages left out", "PUT", app + "/packages", "developer", "{\"confirm\":true}", 400,
                PACKAGES_ROW, "packages"),
            new Case("packages holding null", "PUT", app + "/packages", "developer",
                "{\"packages\":[null],\"confirm\":true}", 400, PACKAGES_ROW, null),
            new Case("environment domain ftp://", "PUT", env, "developer",
                ENV_OK.replace("https://dev.example.com", "ftp://dev.example.com"), 400, ENV_ROW, "domain"),
            new Case("environment 9 approvals", "PUT", env, "developer",
                ENV_OK.replace("false}", "true,\"requiredApprovals\":9}"), 400, ENV_ROW, "requiredApprovals"),
            new Case("environment with an unknown deploy config", "PUT", env, "developer",
                ENV_OK.replace("{", "{\"deployConfig\":\"nowhere\","), 400, ENV_ROW, null),
            new Case("environment with an unknown storage config", "PUT", env, "developer",
                ENV_OK.replace("{", "{\"storageConfig\":\"nowhere\","), 400, ENV_ROW, null),
            new Case("environment that does not exist", "PUT", app + "/environments/nope", "developer", ENV_OK, 404,
                ENV_ROW, null),
            new Case("deploy path climbing out", "PUT", deploy, "developer",
                DEPLOY_OK.replace("\"/p\"", "\"/../etc\""), 400, DEPLOY_ROW, "deployPath"),
            new Case("deploy config renamed onto another", "PUT", deploy, "developer",
                DEPLOY_OK.replace("\"" + DEPLOY + "\"", "\"default\""), 409, DEPLOY_ROW, null),
            new Case("deploy domain without scheme", "PUT", deploy, "developer",
                DEPLOY_OK.replace("https://d.example.com", "d.example.com"), 400, DEPLOY_ROW, "deployDomain"),
            new Case("bucket with spaces", "PUT", storage, "developer",
                STORAGE_OK.replace("\"files\"", "\"Bad Bucket\""), 400, STORAGE_ROW, "bucket"),
            new Case("a new storage config with a bucket climbing out", "POST", "/api/storage-configs", "developer",
                "{\"workspace\":\"Demo\",\"name\":\"climber\",\"vendor\":\"oss\",\"bucket\":\"../../etc\","
                    + "\"baseUrl\":\"https://files.example.com\"}", 400,
                "SELECT * FROM mf_storage_config WHERE workspace = 'Demo' ORDER BY id", "bucket"),
            new Case("storage base URL javascript:", "PUT", storage, "developer",
                STORAGE_OK.replace("https://files.example.com", "javascript:alert(1)"), 400, STORAGE_ROW, "baseUrl"),
            new Case("repository ftp://", "PUT", pkg, "developer", "{\"repositoryUrl\":\"ftp://git.example.com/ui\"}",
                400, PACKAGE_ROW, "repositoryUrl"),
            new Case("repository left out", "PUT", pkg, "developer", "{\"description\":\"x\"}", 400, PACKAGE_ROW,
                "repositoryUrl"),
            new Case("component icon javascript:", "PUT", pkg + "/components/button", "developer",
                "{\"name\":\"button\",\"icon\":\"javascript:alert(1)\"}", 400, COMPONENT_ROW, "icon"),
            new Case("component in an unknown group", "PUT", pkg + "/components/button", "developer",
                "{\"name\":\"button\",\"group\":\"Nowhere\"}", 400, COMPONENT_ROW, null),
            new Case("component renamed with a space", "PUT", pkg + "/components/button", "developer",
                "{\"name\":\"bad name\"}", 400, COMPONENT_ROW, "name"),
            new Case("component renamed onto its neighbour", "PUT", pkg + "/components/button", "developer",
                "{\"name\":\"card\"}", 409, COMPONENT_ROW, null),
            new Case("group name with markup", "POST", groups, "developer", "{\"name\":\"<b>x</b>\"}", 400,
                GROUPS_ROW, "name"),
            new Case("group order -1", "POST", groups, "developer", "{\"name\":\"Minus\",\"sortOrder\":-1}", 400,
                GROUPS_ROW, "sortOrder"),
            new Case("group created twice", "POST", groups, "developer", "{\"name\":\"" + GROUP + "\"}",
                409, GROUPS_ROW, null),
            new Case("unreadable body", "PUT", app + "/name", "developer", "{\"name\":", 400, APP_ROW, null),
            new Case("a reviewer renaming", "PUT", app + "/name", "reviewer", "{\"name\":\"Mine\"}", 403, APP_ROW, null),
            new Case("a reviewer deleting a config", "DELETE", deploy, "reviewer", null, 403, DEPLOY_ROW, null));
    }

    @BeforeEach
    void fixture() throws Exception {
        if (jdbc.sql(APP_ROW).query().listOfRows().isEmpty()) {
            send(post("/api/deploy-configs"), "{\"workspace\":\"Demo\"," + DEPLOY_OK.substring(1), 201);
            send(post("/api/storage-configs"), "{\"workspace\":\"Demo\"," + STORAGE_OK.substring(1), 201);
            send(post("/api/component-packages"), "{\"workspace\":\"Demo\",\"name\":\"" + PACKAGE + "\","
                + "\"version\":\"1.0.0\",\"repositoryUrl\":\"https://git.example.com/ui.git\","
                + "\"components\":[{\"name\":\"button\"},{\"name\":\"card\"}]}", 201);
            send(post("/api/workspaces/Demo/component-groups"), "{\"name\":\"" + GROUP + "\"}", 201);
            send(post("/api/apps"), "{\"workspace\":\"Demo\",\"appCode\":\"" + APP + "\",\"name\":\"Bad input\","
                + "\"engineVersion\":\"1.0.0\",\"packages\":[\"" + PACKAGE + "@1.0.0\"]}", 201);
            send(post("/api/apps/" + APP + "/environments"), "{\"envCode\":\"dev\"," + ENV_OK.substring(1)
                .replace("false}", "false,\"deployConfig\":\"" + DEPLOY + "\",\"storageConfig\":\"" + STORAGE + "\"}"),
                201);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputAnswers4xxAndChangesNothing(Case c) throws Exception {
        List<?> before = jdbc.sql(c.rowSql()).query().listOfRows();
        long audits = jdbc.sql(AUDITS).query(Long.class).single();
        assertThat(before).as("the row the case aims at exists").isNotEmpty();
        MockHttpServletRequestBuilder request = switch (c.method()) {
            case "PUT" -> put(c.url());
            case "POST" -> post(c.url());
            default -> delete(c.url());
        };
        request.with(httpBasic(c.user(), c.user()));
        if (c.body() != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(c.body());
        }
        var result = mvc.perform(request).andExpect(status().is(c.status())).andExpect(jsonPath("$.detail").isNotEmpty());
        if (c.field() != null) {
            result.andExpect(jsonPath("$.errors[?(@.field == '" + c.field() + "')].message").isNotEmpty())
                .andExpect(jsonPath("$.errors[?(@.field == '" + c.field() + "')].message_zh").isNotEmpty());
        }
        assertThat(jdbc.sql(c.rowSql()).query().listOfRows()).isEqualTo(before);
        assertThat(jdbc.sql(AUDITS).query(Long.class).single()).isEqualTo(audits);
    }

    private void send(MockHttpServletRequestBuilder request, String body, int expected) throws Exception {
        mvc.perform(request.with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
            .content(body)).andExpect(status().is(expected));
    }
}
