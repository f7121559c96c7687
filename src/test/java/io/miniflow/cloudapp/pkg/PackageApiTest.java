package io.miniflow.cloudapp.pkg;

import static io.miniflow.cloudapp.pkg.TestPackages.PACKAGE_JSON;
import static io.miniflow.cloudapp.pkg.TestPackages.bootJar;
import static io.miniflow.cloudapp.pkg.TestPackages.files;
import static io.miniflow.cloudapp.pkg.TestPackages.jar;
import static io.miniflow.cloudapp.pkg.TestPackages.nodeTgz;
import static io.miniflow.cloudapp.pkg.TestPackages.phpZip;
import static io.miniflow.cloudapp.pkg.TestPackages.tgz;
import static io.miniflow.cloudapp.pkg.TestPackages.truncated;
import static io.miniflow.cloudapp.pkg.TestPackages.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.util.unit.DataSize;

import io.miniflow.MiniflowIntegrationTest;

/**
 * Release packages over the API with the whole application: every refused package answers 400 on the field
 * {@code file} in zh-CN and en and leaves nothing (no row, no file); good packages of each runtime are stored with
 * their SHA-256 and nginx configuration; deletion, roles and workspaces.
 */
@MiniflowIntegrationTest
class PackageApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PackageSettings settings;
    @Autowired
    IdentityService identityService;

    static Stream<Arguments> badPackages() {
        String buildpack = "app_entry=public\n";
        return Stream.of(
            Arguments.of("jar without a manifest", "SPRING_BOOT",
                jar(null, files("com/example/App.class", "x")), "no META-INF/MANIFEST.MF"),
            Arguments.of("manifest without Main-Class", "SPRING_BOOT",
                jar(Map.of("Created-By", "test"), files("com/example/App.class", "x")), "names no Main-Class"),
            Arguments.of("Spring Boot launcher without Start-Class", "SPRING_BOOT",
                jar(Map.of("Main-Class", TestPackages.BOOT_LAUNCHER), files("a.txt", "x")), "no Start-Class"),
            Arguments.of("a PHP zip to a Spring Boot app", "SPRING_BOOT", phpZip(), "no META-INF/MANIFEST.MF"),
            Arguments.of("a tgz to a Spring Boot app", "SPRING_BOOT", nodeTgz(), "must be a jar file"),
            Arguments.of("a jar to a Node.js app", "NODEJS", bootJar(), "must be a tgz file"),
            Arguments.of("tgz without package.json", "NODEJS", tgz(files("server.js", "x")), "no package.json"),
            Arguments.of("package.json without start script", "NODEJS",
                tgz(files("package.json", "{\"scripts\":{\"stop\":\"x\"}}")), "no \"start\" command"),
            Arguments.of("package.json without stop script", "NODEJS",
                tgz(files("package.json", "{\"scripts\":{\"start\":\"x\"}}")), "no \"stop\" command"),
            Arguments.of("package.json that is not JSON", "NODEJS", tgz(files("package.json", "{scripts")),
                "not a JSON object"),
            Arguments.of("zip without _buildpack", "PHP", zip(files("public/index.php", "x")), "no _buildpack"),
            Arguments.of("_buildpack without app_entry", "PHP",
                zip(files("_buildpack", "php_extensions=php-gd\n", "public/index.php", "x")), "names no app_entry"),
            Arguments.of("app_entry naming a missing folder", "PHP",
                zip(files("_buildpack", "app_entry=www\n", "public/index.php", "x")), "www is not a folder"),
            Arguments.of("empty file", "PHP", new byte[0], "The file is empty"),
            Arguments.of("truncated jar", "SPRING_BOOT", truncated(bootJar()), "truncated or damaged"),
            Arguments.of("truncated zip", "PHP", truncated(phpZip()), "truncated or damaged"),
            Arguments.of("truncated tgz", "NODEJS", truncated(nodeTgz()), "truncated or damaged"),
            Arguments.of("../../etc/passwd in a zip", "PHP",
                zip(files("_buildpack", buildpack, "public/i.php", "x", "../../etc/passwd", "root")), "../../etc/passwd"),
            Arguments.of("../../etc/passwd in a jar", "SPRING_BOOT",
                jar(Map.of("Main-Class", "com.example.App"), files("../../etc/passwd", "root")), "../../etc/passwd"),
            Arguments.of("../../etc/passwd in a tgz", "NODEJS",
                tgz(files("package.json", PACKAGE_JSON, "../../etc/passwd", "root")), "../../etc/passwd"),
            Arguments.of("absolute path in a zip", "PHP",
                zip(files("_buildpack", buildpack, "public/i.php", "x", "/etc/cron.d/evil", "x")), "/etc/cron.d/evil"),
            Arguments.of("absolute path in a tgz", "NODEJS",
                tgz(files("package.json", PACKAGE_JSON, "/etc/cron.d/evil", "x")), "/etc/cron.d/evil"),
            Arguments.of("backslashes in a zip", "PHP",
                zip(files("_buildpack", buildpack, "public/i.php", "x", "..\\..\\evil.php", "x")), "evil.php"),
            Arguments.of("symbolic link out of a tgz", "NODEJS",
                tgz(files("package.json", PACKAGE_JSON), "logs", "../../../etc"), "logs -> ../../../etc"),
            Arguments.of("plain text to a PHP app", "PHP", "hello".getBytes(), "must be a zip file"));
    }

    @ParameterizedTest(name = "{0} is refused")
    @MethodSource("badPackages")
    void shouldRefuseABadPackageWithAFieldMessageAndStoreNothing(String what, String runtime, byte[] content,
                                                                  String messagePart) throws Exception {
        String app = app(runtime);

        upload("developer", app, content, "v1")
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'file')].message_en", hasItem(containsString(messagePart))))
            .andExpect(jsonPath("$.errors[?(@.field == 'file')].message_zh").isNotEmpty());
        assertNothingStored(app);
    }

    @Test
    void shouldRefuseAPackageOverTheSizeLimit() throws Exception {
        String app = app("SPRING_BOOT");
        DataSize limit = settings.getMaxSize();
        settings.setMaxSize(DataSize.ofBytes(100));
        try {
            upload("developer", app, bootJar(), "v1").andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'file')].message_en",
                    hasItem(containsString("limit of 100 B"))))
                .andExpect(jsonPath("$.errors[?(@.field == 'file')].message_zh").isNotEmpty());
        } finally {
            settings.setMaxSize(limit);
        }
        assertNothingStored(app);
    }

    @Test
    void shouldRefuseABadVersionAndADuplicateVersion() throws Exception {
        String app = app("PHP");
        upload("developer", app, phpZip(), "../v1").andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'version')].message_zh").isNotEmpty());
        assertNothingStored(app);

        upload("developer", app, phpZip(), "v1").andExpect(status().isCreated());
        upload("developer", app, phpZip(), "v1").andExpect(status().isConflict());
        assertThat(rows(app)).isEqualTo(1);
    }

    @Test
    void shouldStoreAndListASpringBootJarWithItsChecksumAndProdNginxConfig() throws Exception {
        String app = app("SPRING_BOOT");
        byte[] jar = bootJar();

        upload("developer", app, jar, "v1.0.0").andExpect(status().isCreated())
            .andExpect(jsonPath("$.version").value("v1.0.0"))
            .andExpect(jsonPath("$.sha256").value(sha256(jar)))
            .andExpect(jsonPath("$.size").value(jar.length));

        assertThat(Files.readAllBytes(stored(app).resolve("v1.0.0.jar"))).isEqualTo(jar);
        mvc.perform(get("/api/cloud-apps/" + app + "/packages").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$[0].version").value("v1.0.0"))
            .andExpect(jsonPath("$[0].sha256").value(sha256(jar)))
            .andExpect(jsonPath("$[0].size").value(jar.length))
            .andExpect(jsonPath("$[0].uploadedBy").value("developer"))
            .andExpect(jsonPath("$[0].uploadedAt").isNotEmpty())
            .andExpect(jsonPath("$[0].nginxFound").value(true))
            .andExpect(jsonPath("$[0].nginxProd").value("BOOT-INF/classes/nginx/nginx-prod.conf"))
            .andExpect(jsonPath("$[0].nginxTest").doesNotExist())
            .andExpect(jsonPath("$[0].deployed").value(false));
    }

    @Test
    void shouldStoreANodeTgzUnderATimestampVersionWhenNoneIsGiven() throws Exception {
        String app = app("NODEJS");
        byte[] tgz = nodeTgz();

        upload("admin", app, tgz, null).andExpect(status().isCreated())
            .andExpect(jsonPath("$.version").value(org.hamcrest.Matchers.matchesPattern("v\\d{14}")))
            .andExpect(jsonPath("$.sha256").value(sha256(tgz)));

        mvc.perform(get("/api/cloud-apps/" + app + "/packages").with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$[0].nginxTest").value("conf/nginx.test.conf"))
            .andExpect(jsonPath("$[0].nginxProd").doesNotExist());
        try (Stream<Path> files = Files.list(stored(app))) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString().endsWith(".tgz");
        }
    }

    @Test
    void shouldStoreAPhpZipWithoutNginxConfig() throws Exception {
        String app = app("PHP");
        byte[] zip = phpZip();

        upload("developer", app, zip, "2024.1").andExpect(status().isCreated())
            .andExpect(jsonPath("$.sha256").value(sha256(zip)));

        assertThat(Files.readAllBytes(stored(app).resolve("2024.1.zip"))).isEqualTo(zip);
        mvc.perform(get("/api/cloud-apps/" + app + "/packages").with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$[0].nginxFound").value(false));
    }

    @Test
    void shouldDeleteAPackageNeverDeployedButKeepADeployedOne() throws Exception {
        String app = app("PHP");
        upload("developer", app, phpZip(), "v1").andExpect(status().isCreated());
        upload("developer", app, phpZip(), "v2").andExpect(status().isCreated());
        jdbc.sql("UPDATE mf_cloud_package SET first_deployed_at = CURRENT_TIMESTAMP, running_in = 'test'"
            + " WHERE version = 'v2' AND app_id = (SELECT id FROM mf_cloud_app WHERE name = ?)").param(app).update();

        mvc.perform(delete("/api/cloud-apps/" + app + "/packages/v1").with(httpBasic("developer", "developer")))
            .andExpect(status().isNoContent());
        mvc.perform(delete("/api/cloud-apps/" + app + "/packages/v2").with(httpBasic("developer", "developer")))
            .andExpect(status().isConflict());
        mvc.perform(delete("/api/cloud-apps/" + app + "/packages/v9").with(httpBasic("developer", "developer")))
            .andExpect(status().isNotFound());

        assertThat(Files.exists(stored(app).resolve("v1.zip"))).isFalse();
        assertThat(Files.exists(stored(app).resolve("v2.zip"))).isTrue();
        mvc.perform(get("/api/cloud-apps/" + app + "/packages").with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.length()").value(1))
            .andExpect(jsonPath("$[0].version").value("v2"))
            .andExpect(jsonPath("$[0].deployed").value(true))
            .andExpect(jsonPath("$[0].runningIn").value("test"));
        assertThat(jdbc.sql("SELECT action FROM mf_audit_log WHERE object_id = ? ORDER BY id")
            .param(app + "/v1").query(String.class).list())
            .containsExactly("CLOUD_PACKAGE_UPLOADED", "CLOUD_PACKAGE_DELETED");
    }

    @Test
    void shouldLetMembersReadButOnlyEditorsUploadAndDelete() throws Exception {
        String app = app("PHP");
        upload("reviewer", app, phpZip(), "v1").andExpect(status().isForbidden());
        assertNothingStored(app);
        upload("developer", app, phpZip(), "v1").andExpect(status().isCreated());

        mvc.perform(get("/api/cloud-apps/" + app + "/packages").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isOk()).andExpect(jsonPath("$[0].version").value("v1"));
        mvc.perform(delete("/api/cloud-apps/" + app + "/packages/v1").with(httpBasic("reviewer", "reviewer")))
            .andExpect(status().isForbidden());
        assertThat(rows(app)).isEqualTo(1);
    }

    @Test
    void shouldAnswer404ToAUserOfAnotherWorkspace() throws Exception {
        String app = app("PHP");
        upload("developer", app, phpZip(), "v1").andExpect(status().isCreated());
        String other = otherWorkspace();
        String outsider = other.toLowerCase();

        mvc.perform(get("/api/cloud-apps/" + app + "/packages").with(httpBasic(outsider, other)))
            .andExpect(status().isNotFound());
        mvc.perform(multipart("/api/cloud-apps/" + app + "/packages").file(file(phpZip())).param("version", "v2")
            .with(httpBasic(outsider, other))).andExpect(status().isNotFound());
        mvc.perform(delete("/api/cloud-apps/" + app + "/packages/v1").with(httpBasic(outsider, other)))
            .andExpect(status().isNotFound());
        assertThat(rows(app)).isEqualTo(1);
    }

    @Test
    void shouldDeleteAnAppThatHasPackages() throws Exception {
        String app = app("PHP");
        upload("developer", app, phpZip(), "v1").andExpect(status().isCreated());

        mvc.perform(delete("/api/cloud-apps/" + app).with(httpBasic("developer", "developer")))
            .andExpect(status().isNoContent());

        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_cloud_app WHERE name = ?").param(app).query(Long.class).single())
            .isZero();
    }

    // --- helpers

    private ResultActions upload(String user, String app, byte[] content, String version) throws Exception {
        var request = multipart("/api/cloud-apps/" + app + "/packages").file(file(content))
            .with(httpBasic(user, user));
        if (version != null) {
            request.param("version", version);
        }
        return mvc.perform(request);
    }

    private static MockMultipartFile file(byte[] content) {
        return new MockMultipartFile("file", "package.bin", MediaType.APPLICATION_OCTET_STREAM_VALUE, content);
    }

    private String app(String runtime) throws Exception {
        String name = "pkg" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        mvc.perform(post("/api/cloud-apps").with(httpBasic("developer", "developer"))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"name\":\"%s\",\"runtime\":\"%s\"}".formatted(name, runtime)))
            .andExpect(status().isCreated());
        return name;
    }

    private String otherWorkspace() throws Exception {
        String name = "Other" + UUID.randomUUID().toString().substring(0, 6).replace("-", "");
        User rep = identityService.newUser(name.toLowerCase());
        rep.setEmail(name.toLowerCase() + "@test.local");
        rep.setPassword(name);
        identityService.saveUser(rep);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
            .content("""
                {"name":"%s","businessScope":"5734","address":"1 Road","representativeName":"Rep","representativeEmail":"%s@test.local"}
                """.formatted(name, name.toLowerCase()))).andExpect(status().isCreated());
        return name;
    }

    private Path stored(String app) {
        return settings.getRoot().resolve(app);
    }

    private long rows(String app) {
        return jdbc.sql("SELECT COUNT(*) FROM mf_cloud_package p JOIN mf_cloud_app a ON a.id = p.app_id WHERE a.name = ?")
            .param(app).query(Long.class).single();
    }

    private void assertNothingStored(String app) throws Exception {
        assertThat(rows(app)).isZero();
        if (Files.exists(stored(app))) {
            try (Stream<Path> files = Files.list(stored(app))) {
                assertThat(files).isEmpty();
            }
        }
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
