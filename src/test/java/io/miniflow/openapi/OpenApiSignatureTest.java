package io.miniflow.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The worked example of docs/openapi.md, read from the page and recomputed, and the strict form of the header.
 * The example is checked twice: by {@link SigningClient} (a SaaS developer's code, independent of Miniflow's) and by
 * {@link OpenApiSignature}, so the page, the client and the server cannot drift apart.
 */
class OpenApiSignatureTest {

    private static final Path DOCS = Path.of("docs/openapi.md");

    @Test
    void theDocumentedExampleSignsToTheDocumentedSignature() throws IOException {
        String docs = Files.readString(DOCS);
        String secret = find(docs, "- appSecret: `([^`]+)`");
        long timestamp = Long.parseLong(find(docs, "- timestamp: `([0-9]+)`"));
        String nonce = find(docs, "nonce: `([^`]+)`");
        String method = find(docs, "- request: `([A-Z]+) [^ `]+`");
        String target = find(docs, "- request: `[A-Z]+ ([^ `]+)`");
        String body = find(docs, "with the body `([^`]+)`");
        String shown = find(docs, "```text\n(POST\\\\n[^\n]*)\n```");
        String signature = find(docs, "signature: ([A-Za-z0-9+/=]+)\n");

        String stringToSign = method + "\n" + target + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
        assertThat(shown).as("the string to sign as the page shows it").isEqualTo(stringToSign.replace("\n", "\\n"));
        assertThat(SigningClient.sign(secret, stringToSign)).isEqualTo(signature);
        assertThat(OpenApiSignature.sign(secret, OpenApiSignature.stringToSign(method, target, timestamp, nonce,
            body.getBytes(StandardCharsets.UTF_8)))).isEqualTo(signature);
        assertThat(docs).contains("Authorization: " + SigningClient.authorization(find(docs, "- appId: `([^`]+)`"),
            secret, method, target, timestamp, nonce, body));
    }

    @Test
    void theDocumentedRequestWithoutBodyEndsInTwoLineFeeds() throws IOException {
        String docs = Files.readString(DOCS);
        String secret = find(docs, "- appSecret: `([^`]+)`");
        Matcher get = Pattern.compile("`(GET\\\\n[^`]+)` to `([A-Za-z0-9+/=]+)`").matcher(docs);
        assertThat(get.find()).isTrue();
        String stringToSign = get.group(1).replace("\\n", "\n");
        assertThat(stringToSign).endsWith("\n\n");
        assertThat(SigningClient.sign(secret, stringToSign)).isEqualTo(get.group(2));
        String[] lines = stringToSign.split("\n", -1);
        assertThat(OpenApiSignature.sign(secret, OpenApiSignature.stringToSign(lines[0], lines[1],
            Long.parseLong(lines[2]), lines[3], new byte[0]))).isEqualTo(get.group(2));
    }

    @Test
    void theHeaderIsReadInItsDocumentedForm() {
        assertThat(OpenApiSignature.parse("MF-HMAC-SHA256 appid=\"mf5d41402abc4b2a76\",timestamp=\"1767225600\","
            + "nonce=\"7f3c9a1e5b2d4f60\",signature=\"ijPIoicN0M2BuPZMqO6BJdQOaOVOiRkfRALpq8320D0=\""))
            .hasValueSatisfying(c -> {
                assertThat(c.appId()).isEqualTo("mf5d41402abc4b2a76");
                assertThat(c.timestamp()).isEqualTo(1767225600L);
                assertThat(c.nonce()).isEqualTo("7f3c9a1e5b2d4f60");
                assertThat(c.signature()).isEqualTo("ijPIoicN0M2BuPZMqO6BJdQOaOVOiRkfRALpq8320D0=");
                assertThat(c.toString()).doesNotContain("ijPIoic");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Basic YWRtaW46YWRtaW4=", "MF-HMAC-SHA256",
        "MF-HMAC-SHA256 appid=\"mf1\",timestamp=\"1\",nonce=\"short\",signature=\"abc=\"",
        "MF-HMAC-SHA256 appid=\"mf1\",timestamp=\"x\",nonce=\"12345678\",signature=\"abc=\"",
        "MF-HMAC-SHA256 timestamp=\"1\",appid=\"mf1\",nonce=\"12345678\",signature=\"abc=\"",
        "MF-HMAC-SHA256 appid=\"mf1\", timestamp=\"1\", nonce=\"12345678\", signature=\"abc=\"",
        "MF-HMAC-SHA256 appid=\"mf1\",timestamp=\"1\",nonce=\"12345678\",signature=\"abc=\",appid=\"mf2\"",
        "MF-HMAC-SHA256 appid=\"mf1\",timestamp=\"1\",nonce=\"12345678\"",
        "MF-HMAC-SHA256 appid=\"mf1\",timestamp=\"1\",nonce=\"1234567 8\",signature=\"abc=\"",
        "MF-HMAC-SHA256 appid=\"mf1\",timestamp=\"1\",nonce=\"12345678901234567890123456789012345678901234567890123456789012345\",signature=\"abc=\"",
        "MF-HMAC-SHA256 appid=\"mf\\\"1\",timestamp=\"1\",nonce=\"12345678\",signature=\"abc=\""})
    void garbledHeadersAreNotRead(String header) {
        assertThat(OpenApiSignature.parse(header)).isEmpty();
    }

    @Test
    void aWrongSignatureDoesNotMatchAndTheRightOneDoes() {
        byte[] signed = OpenApiSignature.stringToSign("GET", "/openapi/v1/whoami", 1L, "12345678", new byte[0]);
        String right = OpenApiSignature.sign("secret", signed);
        assertThat(OpenApiSignature.matches("secret", signed, right)).isTrue();
        assertThat(OpenApiSignature.matches("other", signed, right)).isFalse();
        assertThat(OpenApiSignature.matches("secret", signed, right.substring(1))).isFalse();
    }

    @Test
    void theSignedBodyIsStillThereForTheController() throws IOException {
        MockHttpServletRequest original = new MockHttpServletRequest("POST", "/openapi/v1/x");
        original.setContent("{\"name\":\"店\"}".getBytes(StandardCharsets.UTF_8));
        original.setCharacterEncoding("UTF-8");
        byte[] read;
        try (InputStream in = original.getInputStream()) {
            read = in.readAllBytes();
        }
        CachedBodyRequest wrapped = new CachedBodyRequest(original, read);
        assertThat(wrapped.getInputStream().readAllBytes()).isEqualTo(read);
        assertThat(wrapped.getReader().readLine()).isEqualTo("{\"name\":\"店\"}");
        assertThat(wrapped.getContentLengthLong()).isEqualTo(read.length);
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("docs/openapi.md has %s", regex).isTrue();
        return m.group(1);
    }
}
