package io.miniflow.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * WeChat's errcodes are translated once, here in {@code wechat}: the release processes speak of their own outcomes
 * ({@code PlatformRefusal.Kind}) and show the platform's words as its adapter wrote them, so no release source spells
 * a WeChat code (not even in a comment, where it would go stale unnoticed).
 */
class WechatCodesStayInWechatTest {

    private static final Path RELEASE_SOURCES = Path.of("src/main/java/io/miniflow/release");
    private static final Pattern NUMBER = Pattern.compile("\\b\\d{5}\\b");

    @Test
    void releaseSourcesNameNoWechatErrcode() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(RELEASE_SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = NUMBER.matcher(Files.readString(file));
                while (m.find()) {
                    if (WechatErrors.KNOWN.contains(Integer.parseInt(m.group()))) {
                        found.add(RELEASE_SOURCES.relativize(file) + ": " + m.group());
                    }
                }
            }
        }
        assertThat(RELEASE_SOURCES).isDirectory();
        assertThat(found).as("WeChat errcodes spelt in io.miniflow.release").isEmpty();
    }
}
