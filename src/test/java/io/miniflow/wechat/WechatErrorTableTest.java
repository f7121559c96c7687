package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/**
 * Every code of seed 003's error table (src/test/resources/wechat/seed-003-error-codes.tsv) is translated once, in
 * {@link WechatErrors}: a message of its own in English and in Chinese, and the decision whether trying again helps.
 */
class WechatErrorTableTest {

    private static final Path SEED_003 = Path.of("src/test/resources/wechat/seed-003-error-codes.tsv");

    @Test
    void everySeedCodeHasItsOwnMessageInBothLanguages() throws IOException {
        Properties en = bundle("i18n/wechat.properties");
        Properties zh = bundle("i18n/wechat_zh_CN.properties");
        List<String> missing = new ArrayList<>();
        for (int code : seedCodes().keySet()) {
            String key = WechatErrors.messageKey(code);
            if (!key.equals("wechat.error." + code)) {
                missing.add(code + ": no message of its own (" + key + ")");
            }
            if (isBlank(en.getProperty("wechat.error." + code))) {
                missing.add(code + ": no English message");
            }
            if (isBlank(zh.getProperty("wechat.error." + code))) {
                missing.add(code + ": no Chinese message");
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void everySeedCodeIsRetriedOrNotAsDecided() throws IOException {
        List<String> wrong = new ArrayList<>();
        seedCodes().forEach((code, retryable) -> {
            if (WechatErrors.isRetryable(code) != retryable) {
                wrong.add(code + " should be " + (retryable ? "retryable" : "permanent"));
            }
            if (WechatErrors.of("test", code, "m").retryable() != retryable) {
                wrong.add(code + ": the exception disagrees");
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void everyKnownCodeHasBothMessages() throws IOException {
        Properties en = bundle("i18n/wechat.properties");
        Properties zh = bundle("i18n/wechat_zh_CN.properties");
        assertThat(WechatErrors.KNOWN).allSatisfy(code -> {
            assertThat(en.getProperty(WechatErrors.messageKey(code))).as("en " + code).isNotBlank();
            assertThat(zh.getProperty(WechatErrors.messageKey(code))).as("zh " + code).isNotBlank();
        });
    }

    @Test
    void theSeedListIsComplete() throws IOException {
        // The seed's table has 51 codes; a truncated list would let a missing message pass unnoticed.
        assertThat(seedCodes()).hasSize(51).containsKeys(85001, 85004, 85066, 85076, 89031);
    }

    private static Map<Integer, Boolean> seedCodes() throws IOException {
        Map<Integer, Boolean> codes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(SEED_003, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] cells = line.split("\t");
            codes.put(Integer.parseInt(cells[0].trim()), switch (cells[1].trim()) {
                case "retryable" -> true;
                case "permanent" -> false;
                default -> throw new IllegalStateException("neither retryable nor permanent: " + line);
            });
        }
        return codes;
    }

    private static Properties bundle(String resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = WechatErrorTableTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
