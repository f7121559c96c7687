package io.miniflow.conventions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** Every English bundle has a zh-CN twin with exactly the same keys, and no value is left empty. */
class MessageBundlesTest {

    @Test
    void everyBundleHasTheSameKeysInEnglishAndChinese() throws IOException {
        List<Resource> english = englishBundles();
        assertThat(english).as("the main bundle exists").anyMatch(r -> "messages.properties".equals(r.getFilename()));
        for (Resource en : english) {
            Resource zh = en.createRelative(en.getFilename().replace(".properties", "_zh_CN.properties"));
            assertThat(zh.exists()).as("zh-CN twin of %s", en.getFilename()).isTrue();
            Properties enKeys = load(en);
            Properties zhKeys = load(zh);
            assertThat(zhKeys.stringPropertyNames()).as("keys of %s", zh.getFilename())
                .containsExactlyInAnyOrderElementsOf(enKeys.stringPropertyNames());
            for (Properties p : List.of(enKeys, zhKeys)) {
                p.forEach((k, v) -> assertThat(v.toString()).as("value of %s", k).isNotBlank());
            }
        }
    }

    @Test
    void theCheckNoticesAMissingKey() throws IOException {
        Properties en = new Properties();
        en.setProperty("a", "A");
        en.setProperty("b", "B");
        Properties zh = new Properties();
        zh.setProperty("a", "甲");
        Set<String> missing = new java.util.HashSet<>(en.stringPropertyNames());
        missing.removeAll(zh.stringPropertyNames());
        assertThat(missing).containsExactly("b");
    }

    private static List<Resource> englishBundles() throws IOException {
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        List<Resource> result = new ArrayList<>();
        for (String pattern : List.of("classpath*:messages*.properties", "classpath*:i18n/*.properties")) {
            for (Resource r : resolver.getResources(pattern)) {
                if (!r.getFilename().contains("_")) {
                    result.add(r);
                }
            }
        }
        return result;
    }

    private static Properties load(Resource resource) throws IOException {
        Properties p = new Properties();
        try (InputStream in = resource.getInputStream()) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }
}
