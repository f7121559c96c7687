package io.miniflow.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * App keys through the API and the console (made, shown once, stored encrypted, rotated with an overlap, revoked)
 * and the bundle upload signed with the Upload Key: a good one creates a version, forged, replayed, expired and
 * otherwise bad ones are refused with nothing created. The test profile sets the overlap to 8 s and the largest
 * bundle to 64 KB.
 */
@MiniflowIntegrationTest
class AppKeysAndUploadTest {

    private static final byte[] BUNDLE = "app.js: Page({data:{}})".getBytes(StandardCharsets.UTF_8);

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;

    String app;

    @BeforeEach
    void newApp() throws Exception {
        app = "keys-" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/apps").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"workspace\":\"Demo\",\"appCode\":\"" + app + "\",\"name\":\"Keys\",\"engineVersion\":\"1.0.0\"}"))
            .andExpect(status().isCreated());
        mvc.perform(post("/api/apps/{a}/environments", app).with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content("""
                    {"envCode":"dev","name":"Dev","domain":"https://dev.example.com","apiDomain":"https://api.example.com",
                     "requiresApproval":false}"""))
            .andExpect(status().isCreated());
    }

    @Test
    void anAdminGetsTheSecretOnceItIsStoredEncryptedAndOnlyAdminsManageKeys() throws Exception {
        JsonNode key = newKey("UPLOAD");
        String keyId = key.get("keyId").asText();
        String secret = key.get("secret").asText();
        assertThat(keyId).matches("uk[0-9a-f]{16}");
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(newKey("access").get("keyId").asText()).matches("ak[0-9a-f]{16}");

        mvc.perform(get("/api/apps/{a}/keys", app).with(httpBasic("admin", "admin")))
            .andExpect(status().isOk())
            .andExpect(jsonPath("$.total").value(2))
            .andExpect(jsonPath("$.items[?(@.keyId == '" + keyId + "')].state").value("ACTIVE"))
            .andExpect(jsonPath("$.items[0].secret").doesNotExist())
            .andExpect(content().string(not(containsString(secret))));
        mvc.perform(get("/api/apps/{a}/keys", app).param("q", "upload").with(httpBasic("admin", "admin")))
            .andExpect(jsonPath("$.total").value(1)).andExpect(jsonPath("$.items[0].keyId").value(keyId));
        String stored = jdbc.sql("SELECT secret FROM mf_app_key WHERE key_id = ?").param(keyId).query(String.class)
            .single();
        assertThat(stored).startsWith("mf1:").doesNotContain(secret);

        for (String who : new String[] {"developer", "mpadmin", "reviewer"}) {
            mvc.perform(get("/api/apps/{a}/keys", app).with(httpBasic(who, who))).andExpect(status().isForbidden());
            mvc.perform(post("/api/apps/{a}/keys/{k}/revoke", app, keyId).with(httpBasic(who, who)))
                .andExpect(status().isForbidden());
        }
        assertThat(jdbc.sql("SELECT revoked_at FROM mf_app_key WHERE key_id = ?").param(keyId)
            .query(java.sql.Timestamp.class).optional()).isEmpty();
        assertThat(audit(keyId)).containsExactly("APP_KEY_CREATED");
    }

    @Test
    void aSignedUploadCreatesAVersionWithItsBundle() throws Exception {
        JsonNode key = newKey("UPLOAD");
        upload(key, "1.2.0", BUNDLE, now()).andExpect(status().isCreated())
            .andExpect(jsonPath("$.version").value("1.2.0"))
            .andExpect(jsonPath("$.status").value("PENDING_PUBLISH"))
            .andExpect(jsonPath("$.sha256").value(AppUploadSignature.sha256(BUNDLE)))
            .andExpect(jsonPath("$.sizeBytes").value(BUNDLE.length));

        mvc.perform(get("/api/apps/{a}/environments/dev", app).with(httpBasic("developer", "developer")))
            .andExpect(jsonPath("$.versions[0].version").value("1.2.0"))
            .andExpect(jsonPath("$.versions[0].source").value("upload:" + key.get("keyId").asText()));
        assertThat(jdbc.sql("SELECT b.sha256 FROM mf_app_bundle b JOIN mf_app_version v ON v.id = b.version_id"
                + " JOIN mf_app_environment e ON e.id = v.environment_id JOIN mf_app a ON a.id = e.app_id"
                + " WHERE a.app_code = ? AND v.version = '1.2.0'").param(app).query(String.class).single())
            .isEqualTo(AppUploadSignature.sha256(BUNDLE));
        mvc.perform(get("/api/apps/{a}/keys", app).with(httpBasic("admin", "admin")))
            .andExpect(jsonPath("$.items[0].lastUsedAt").isNotEmpty());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_audit_log WHERE action = 'APP_VERSION_UPLOADED' AND object_id = ?")
            .param(app + "/dev/1.2.0").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void forgedReplayedAndExpiredUploadsAreRefusedWithNothingCreated() throws Exception {
        JsonNode key = newKey("UPLOAD");
        long now = now();
        upload(key, "1.0.0", BUNDLE, now).andExpect(status().isCreated());
        long versions = versions();

        // The same signed request again, within the window.
        refused(upload(key, "1.0.0", BUNDLE, now), 401, "appUpload.replayed");
        // Signed with a secret that is not the key's.
        JsonNode forged = json.createObjectNode().put("keyId", key.get("keyId").asText())
            .put("secret", "A".repeat(43));
        refused(upload(forged, "1.0.1", BUNDLE, now), 401, "appUpload.signatureMismatch");
        // A good signature for 1.0.1 sent as 1.0.2: the version is part of what is signed.
        refused(send(request(key, "1.0.1", "1.0.2", "dev", BUNDLE, now), BUNDLE), 401,
            "appUpload.signatureMismatch");
        // Another bundle under the signed SHA-256.
        refused(send(signed(key, "1.0.3", BUNDLE, now), "other".getBytes(StandardCharsets.UTF_8)), 400,
            "appUpload.digestMismatch");
        // Too old and too far ahead.
        refused(upload(key, "1.0.4", BUNDLE, now - 600), 401, "appUpload.timestampExpired");
        refused(upload(key, "1.0.5", BUNDLE, now + 600), 401, "appUpload.timestampExpired");
        assertThat(versions()).isEqualTo(versions);
        assertThat(bundles()).isEqualTo(1);
    }

    @Test
    void aRotatedKeyWorksDuringTheOverlapAndIsRefusedAfterIt() throws Exception {
        JsonNode old = newKey("UPLOAD");
        String oldId = old.get("keyId").asText();
        JsonNode rotated = read(mvc.perform(post("/api/apps/{a}/keys/{k}/rotate", app, oldId)
                .with(httpBasic("admin", "admin")))
            .andExpect(status().isCreated())
            .andExpect(jsonPath("$.previousKeyId").value(oldId))
            .andExpect(jsonPath("$.previousExpiresAt").isNotEmpty()));
        assertThat(rotated.get("keyId").asText()).isNotEqualTo(oldId).startsWith("uk");

        upload(old, "2.0.0", BUNDLE, now()).andExpect(status().isCreated());
        upload(rotated, "2.0.1", BUNDLE, now()).andExpect(status().isCreated());
        refused(mvc.perform(post("/api/apps/{a}/keys/{k}/rotate", app, oldId).with(httpBasic("admin", "admin"))), 409,
            "appKey.notCurrent");

        // Waiting creates nothing: the list says when the overlap is over, then the old key is tried once.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> read(mvc.perform(
                get("/api/apps/{a}/keys", app).with(httpBasic("admin", "admin"))))
            .get("items").findValuesAsText("state").contains("EXPIRED"));
        long versions = versions();
        refused(upload(old, "2.0.3", BUNDLE, now()), 401, "appUpload.keyExpired");
        assertThat(versions()).isEqualTo(versions);
        upload(rotated, "2.0.4", BUNDLE, now()).andExpect(status().isCreated());
        assertThat(audit(oldId)).containsExactly("APP_KEY_CREATED", "APP_KEY_ROTATED");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnce() throws Exception {
        JsonNode key = newKey("UPLOAD");
        String keyId = key.get("keyId").asText();
        upload(key, "3.0.0", BUNDLE, now()).andExpect(status().isCreated());
        mvc.perform(post("/api/apps/{a}/keys/{k}/revoke", app, keyId).with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("REVOKED"))
            .andExpect(jsonPath("$.revokedBy").value("admin"));
        long versions = versions();
        refused(upload(key, "3.0.1", BUNDLE, now()), 401, "appUpload.keyRevoked");
        refused(mvc.perform(post("/api/apps/{a}/keys/{k}/revoke", app, keyId).with(httpBasic("admin", "admin"))), 409,
            "appKey.alreadyRevoked");
        refused(mvc.perform(post("/api/apps/{a}/keys/{k}/rotate", app, keyId).with(httpBasic("admin", "admin"))), 409,
            "appKey.notCurrent");
        assertThat(versions()).isEqualTo(versions);
        // With the revoked one gone, a new key of the kind can be made.
        assertThat(newKey("UPLOAD").get("keyId").asText()).isNotEqualTo(keyId);
        assertThat(audit(keyId)).containsExactly("APP_KEY_CREATED", "APP_KEY_REVOKED");
    }

    @Test
    void badKeyRequestsAndUploadsAreRefusedAndChangeNothing() throws Exception {
        JsonNode upload = newKey("UPLOAD");
        JsonNode access = newKey("ACCESS");
        long keys = count("mf_app_key");
        long versions = versions();
        long now = now();

        refused(createKey("{\"kind\":\"SECRET\"}"), 400, "appKey.kind.invalid");
        createKey("{}").andExpect(status().isBadRequest());
        createKey("{\"kind\":\"  \"}").andExpect(status().isBadRequest());
        refused(createKey("{\"kind\":\"UPLOAD\"}"), 409, "appKey.exists");
        refused(mvc.perform(post("/api/apps/{a}/keys/{k}/rotate", app, "uk0000000000000000")
            .with(httpBasic("admin", "admin"))), 404, "appKey.notFound");
        refused(mvc.perform(post("/api/apps/{a}/keys/{k}/revoke", "no-such-app", upload.get("keyId").asText())
            .with(httpBasic("admin", "admin"))), 404, "app.notFound");
        refused(mvc.perform(post("/api/apps/{a}/keys", app).with(httpBasic("developer", "developer"))
            .contentType(MediaType.APPLICATION_JSON).content("{\"kind\":\"ACCESS\"}")), 403, "workspace.adminOnly");

        refused(send(post("/api/apps/{a}/versions/upload", app).param("environment", "dev").param("version", "4.0.0"),
            BUNDLE), 400, "appUpload.headers");
        refused(upload(upload, "4.0.0", new byte[0], now), 400, "appUpload.empty");
        refused(upload(upload, "4.0.0", new byte[64 * 1024 + 1], now), 413, "appUpload.tooLarge");
        refused(upload(access, "4.0.0", BUNDLE, now), 401, "appUpload.keyUnknown");
        JsonNode unknown = json.createObjectNode().put("keyId", "uk0123456789abcdef").put("secret", "x");
        refused(upload(unknown, "4.0.0", BUNDLE, now), 401, "appUpload.keyUnknown");
        refused(send(request(upload, "4.0.0", "4.0.0", "prod", BUNDLE, now), BUNDLE), 401,
            "appUpload.signatureMismatch");
        refused(send(request(upload, "4.0.0", "4.0.0", "prod", BUNDLE, now, "prod"), BUNDLE), 404,
            "app.environment.notFound");
        refused(upload(upload, "4.0", BUNDLE, now), 400, "app.version.format");
        refused(send(signed(upload, "4.0.0", BUNDLE, now).param("note", "n".repeat(501)), BUNDLE), 400,
            "app.note.size");
        refused(send(post("/api/apps/{a}/versions/upload", "no-such-app").param("environment", "dev")
            .param("version", "4.0.0").header(AppUploadSignature.KEY_HEADER, upload.get("keyId").asText())
            .header(AppUploadSignature.TIMESTAMP_HEADER, now)
            .header(AppUploadSignature.SHA256_HEADER, AppUploadSignature.sha256(BUNDLE))
            .header(AppUploadSignature.SIGNATURE_HEADER, "A".repeat(43) + "="), BUNDLE), 404, "app.notFound");

        assertThat(count("mf_app_key")).isEqualTo(keys);
        assertThat(versions()).isEqualTo(versions);
        assertThat(bundles()).isZero();
    }

    @Test
    void theConsolePageListsKeysAndAsksBeforeRotatingOrRevoking() throws Exception {
        String keyId = newKey("UPLOAD").get("keyId").asText();
        MockHttpSession admin = console("admin");
        mvc.perform(get("/apps/{a}", app).session(admin).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andExpect(content().string(containsString("/apps/" + app + "/keys")));
        mvc.perform(get("/apps/{a}/keys", app).session(admin).locale(Locale.ENGLISH))
            .andExpect(status().isOk())
            .andExpect(content().string(containsString(keyId)))
            .andExpect(content().string(containsString("Upload Key")));
        mvc.perform(get("/apps/{a}/keys", app).param("q", "nothing-like-this").session(admin)
                .locale(Locale.ENGLISH))
            .andExpect(content().string(containsString("No key matches.")));
        mvc.perform(get("/apps/{a}/keys/{k}/rotate", app, keyId).session(admin)
                .locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(status().isOk()).andExpect(content().string(containsString("轮换密钥 " + keyId)));
        mvc.perform(get("/apps/{a}/keys", app).session(console("developer")))
            .andExpect(status().isForbidden());

        mvc.perform(post("/apps/{a}/keys/{k}/rotate", app, keyId).session(admin).with(csrf()))
            .andExpect(status().is3xxRedirection())
            .andExpect(flash().attributeExists("newKey"));
        assertThat(jdbc.sql("SELECT replaced_by FROM mf_app_key WHERE key_id = ?").param(keyId).query(String.class)
            .single()).startsWith("uk");
        mvc.perform(get("/apps/{a}/keys/{k}/revoke", app, keyId).session(admin))
            .andExpect(status().isOk());
        mvc.perform(post("/apps/{a}/keys/{k}/revoke", app, keyId).session(admin).with(csrf()))
            .andExpect(status().is3xxRedirection()).andExpect(flash().attributeExists("message"));
        assertThat(jdbc.sql("SELECT revoked_by FROM mf_app_key WHERE key_id = ?").param(keyId).query(String.class)
            .single()).isEqualTo("admin");
    }

    // --- helpers

    private MockHttpSession console(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andReturn().getRequest().getSession();
    }

    private JsonNode newKey(String kind) throws Exception {
        return read(createKey("{\"kind\":\"" + kind + "\"}").andExpect(status().isCreated()));
    }

    private ResultActions createKey(String body) throws Exception {
        return mvc.perform(post("/api/apps/{a}/keys", app).with(httpBasic("admin", "admin"))
            .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private ResultActions upload(JsonNode key, String version, byte[] bundle, long timestamp) throws Exception {
        return send(signed(key, version, bundle, timestamp), bundle);
    }

    /** An upload to environment dev, signed as docs/api.md says, without a login. */
    private MockHttpServletRequestBuilder signed(JsonNode key, String version, byte[] bundle, long timestamp) {
        return request(key, version, version, "dev", bundle, timestamp);
    }

    /** Signed for version {@code signedVersion} in dev, sent as {@code version} in {@code env}. */
    private MockHttpServletRequestBuilder request(JsonNode key, String signedVersion, String version, String env,
                                                  byte[] bundle, long timestamp) {
        return request(key, signedVersion, version, env, bundle, timestamp, "dev");
    }

    private MockHttpServletRequestBuilder request(JsonNode key, String signedVersion, String version, String env,
                                                  byte[] bundle, long timestamp, String signedEnv) {
        String sha256 = AppUploadSignature.sha256(bundle);
        String signature = AppUploadSignature.sign(key.get("secret").asText(),
            AppUploadSignature.stringToSign(app, signedEnv, signedVersion, timestamp, sha256));
        return post("/api/apps/{a}/versions/upload", app).param("environment", env).param("version", version)
            .header(AppUploadSignature.KEY_HEADER, key.get("keyId").asText())
            .header(AppUploadSignature.TIMESTAMP_HEADER, String.valueOf(timestamp))
            .header(AppUploadSignature.SHA256_HEADER, sha256)
            .header(AppUploadSignature.SIGNATURE_HEADER, signature);
    }

    private ResultActions send(MockHttpServletRequestBuilder request, byte[] bundle) throws Exception {
        return mvc.perform(request.contentType(MediaType.APPLICATION_OCTET_STREAM).content(bundle));
    }

    private static void refused(ResultActions result, int status, String code) throws Exception {
        result.andExpect(status().is(status)).andExpect(jsonPath("$.code").value(code))
            .andExpect(jsonPath("$.message_zh").isNotEmpty()).andExpect(jsonPath("$.message_en").isNotEmpty());
    }

    private JsonNode read(ResultActions result) throws Exception {
        return json.readTree(result.andReturn().getResponse().getContentAsString());
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    private long versions() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_app_version v JOIN mf_app_environment e ON e.id = v.environment_id"
            + " JOIN mf_app a ON a.id = e.app_id WHERE a.app_code = ?").param(app).query(Long.class).single();
    }

    private long bundles() {
        return jdbc.sql("SELECT COUNT(*) FROM mf_app_bundle b JOIN mf_app_version v ON v.id = b.version_id"
            + " JOIN mf_app_environment e ON e.id = v.environment_id JOIN mf_app a ON a.id = e.app_id"
            + " WHERE a.app_code = ?").param(app).query(Long.class).single();
    }

    private long count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single();
    }

    private java.util.List<String> audit(String keyId) {
        return jdbc.sql("SELECT action FROM mf_audit_log WHERE object_type = 'app-key' AND object_id = ? ORDER BY id")
            .param(keyId).query(String.class).list();
    }
}
