package io.miniflow.cloudapp.pkg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Release packages built in memory for the tests: jars, zips and tgz's, good and bad. */
public final class TestPackages {

    static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";
    static final String PACKAGE_JSON = """
        {"name":"shop","version":"1.0.0","scripts":{"start":"node server.js","stop":"pkill -f server.js"}}""";

    private TestPackages() {
    }

    static Map<String, String> files(String... nameThenContent) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1]);
        }
        return files;
    }

    /** A jar with these manifest attributes (none: no manifest at all) and files. */
    static byte[] jar(Map<String, String> manifest, Map<String, String> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ZipOutputStream out;
            if (manifest == null) {
                out = new ZipOutputStream(bytes);
            } else {
                Manifest m = new Manifest();
                m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
                manifest.forEach((k, v) -> m.getMainAttributes().putValue(k, v));
                out = new JarOutputStream(bytes, m);
            }
            write(out, files);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] bootJar() {
        return jar(Map.of("Main-Class", BOOT_LAUNCHER, "Start-Class", "com.example.ShopApplication"),
            files("BOOT-INF/classes/com/example/ShopApplication.class", "cafebabe",
                "BOOT-INF/classes/nginx/nginx-prod.conf", "events {}"));
    }

    static byte[] zip(Map<String, String> files) {
        return jar(null, files);
    }

    static byte[] phpZip() {
        return zip(files("_buildpack", "app_entry=public_html\nphp_extensions=php-gd php-mbstring\n",
            "public_html/index.php", "<?php echo 'hi';"));
    }

    static byte[] tgz(Map<String, String> files) {
        return tgz(files, null, null);
    }

    /** A tgz with these files and, when named, a symbolic link. */
    static byte[] tgz(Map<String, String> files, String link, String target) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
            if (link != null) {
                TarArchiveEntry entry = new TarArchiveEntry(link, TarConstants.LF_SYMLINK, true);
                entry.setLinkName(target);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] nodeTgz() {
        return tgz(files("package.json", PACKAGE_JSON, "server.js", "require('http')",
            "conf/nginx.test.conf", "events {}"));
    }

    static byte[] truncated(byte[] archive) {
        return Arrays.copyOf(archive, archive.length / 2);
    }

    private static void write(ZipOutputStream out, Map<String, String> files) throws IOException {
        try (out) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
