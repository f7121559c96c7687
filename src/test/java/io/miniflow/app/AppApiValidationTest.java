package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import io.miniflow.MiniflowIntegrationTest;

/** Bad bodies for apps, environments and publishes: each answers 400 with a message in both languages and stores nothing. */
@MiniflowIntegrationTest
class AppApiValidationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest(name = "appCode [{0}]")
    @ValueSource(strings = {"", "Demo", "1shop", "shop_1", "shop.app", "-shop", "shop app",
        "a1234567890123456789012345678901234567890123456789x"})
    void badAppCodes(String appCode) throws Exception {
        long before = count("mf_app");
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"appCode\":\"" + appCode + "\",\"name\":\"x\",\"engineVersion\":\"1.0.0\"}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'appCode')].message").isNotEmpty())
            .andExpect(jsonPath("$.errors[?(@.field == 'appCode')].message_zh").isNotEmpty());
        assertThat(count("mf_app")).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} = [{1}]")
    @CsvSource(delimiter = '|', value = {
        "engineVersion|1.0", "engineVersion|v1.0.0", "name|", "packages|[\"nope\"]"})
    void badAppFields(String field, String value) throws Exception {
        long before = count("mf_app");
        String json = value != null && value.startsWith("[") ? value : "\"" + (value == null ? "" : value) + "\"";
        String body = with("{\"workspace\":\"Demo\",\"appCode\":\"valid-app\",\"name\":\"x\",\"engineVersion\":\"1.0.0\"}",
            field, json);
        mvc.perform(post("/api/apps").with(httpBasic("developer", "developer")).contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[0].message").isNotEmpty());
        assertThat(count("mf_app")).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} = [{1}]")
    @CsvSource(delimiter = '|', value = {
        "envCode|Prod", "envCode|", "envCode|prod env", "domain|ftp://files.example.com", "domain|not a url",
        "apiDomain|https://", "requiredApprovals|0", "requiredApprovals|9", "name|"})
    void badEnvironmentFields(String field, String value) throws Exception {
        long before = count("mf_app_environment");
        String json = "requiredApprovals".equals(field) ? value : "\"" + (value == null ? "" : value) + "\"";
        String body = with("{\"envCode\":\"staging\",\"name\":\"Staging\",\"domain\":\"https://s.example.com\","
            + "\"apiDomain\":\"https://api.s.example.com\",\"requiresApproval\":true}", field, json);
        mvc.perform(post("/api/apps/demo/environments").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == '" + field + "')].message").isNotEmpty());
        assertThat(count("mf_app_environment")).isEqualTo(before);
    }

    @ParameterizedTest(name = "version [{0}]")
    @ValueSource(strings = {"", "1.0", "v1.0.0", "01.0.0", "1.0.0-beta", "1.0.0.0", "latest"})
    void badVersionsToPublish(String version) throws Exception {
        long versions = count("mf_app_version");
        long processes = count("ACT_HI_PROCINST");
        mvc.perform(post("/api/apps/demo/environments/dev/publishes").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"version\":\"" + version + "\"}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'version')].message_zh").isNotEmpty());
        assertThat(count("mf_app_version")).isEqualTo(versions);
        assertThat(count("ACT_HI_PROCINST")).isEqualTo(processes);
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"", "not json", "{\"version\":", "[1,2]"})
    void unreadableBodies(String body) throws Exception {
        long versions = count("mf_app_version");
        mvc.perform(post("/api/apps/demo/environments/dev/publishes").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.detail").isNotEmpty());
        assertThat(count("mf_app_version")).isEqualTo(versions);
    }

    @ParameterizedTest(name = "deploy config {0} = [{1}]")
    @CsvSource(delimiter = '|', value = {"deployPath|minapp", "deployPath|/Min App", "deployDomain|localhost",
        "name|bad name!"})
    void badDeployConfigs(String field, String value) throws Exception {
        long before = count("mf_deploy_config");
        String body = with("{\"workspace\":\"Demo\",\"name\":\"cfg\",\"cloudVendor\":\"aliyun\",\"deployPath\":\"/x\","
            + "\"deployDomain\":\"https://d.example.com\",\"accessPath\":\"/app\"}", field, "\"" + value + "\"");
        mvc.perform(post("/api/deploy-configs").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andExpect(status().isBadRequest());
        assertThat(count("mf_deploy_config")).isEqualTo(before);
    }

    /** The body with one field replaced: the API refuses a key given twice, so it is not appended. */
    private static String with(String body, String field, String json) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode node =
            (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(body);
        node.set(field, mapper.readTree(json));
        return mapper.writeValueAsString(node);
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }
}
