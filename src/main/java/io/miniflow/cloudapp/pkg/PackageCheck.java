package io.miniflow.cloudapp.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.miniflow.cloudapp.Runtime;
import io.miniflow.shared.InvalidFields;

/**
 * Whether an uploaded file is a package the app's runtime can run (seed 001 §1.3), read from the disk entry by entry:
 * Spring Boot a jar whose manifest names a Main-Class (Spring Boot's launcher also needs a Start-Class), Node.js a
 * gzip'd tar with package.json holding start and stop scripts, PHP a zip with a _buildpack naming app_entry. Any
 * entry whose path leaves the package refuses it. Each refusal is the field {@code file} of a 400.
 */
final class PackageCheck {

    static final String FIELD = "file";
    static final String BOOT_LAUNCHER = "org.springframework.boot.loader.";
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final int SMALL_FILE = 1_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where the package keeps each environment's nginx configuration; null when it brings none. */
    record Inspection(String nginxTest, String nginxProd) {
    }

    private PackageCheck() {
    }

    static Inspection check(Runtime runtime, Path file) {
        try {
            byte[] head = head(file);
            if (head.length == 0) {
                throw refused("cloudapp.package.empty");
            }
            boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K';
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            return switch (runtime) {
                case SPRING_BOOT -> {
                    requireKind(zip, runtime);
                    yield jar(file);
                }
                case NODEJS -> {
                    requireKind(gzip, runtime);
                    yield tgz(file);
                }
                case PHP -> {
                    requireKind(zip, runtime);
                    yield php(file);
                }
            };
        } catch (ZipException | java.io.EOFException | IllegalArgumentException e) {
            // a truncated or damaged archive (IllegalArgumentException: a zip entry name that is not valid UTF-8)
            throw refused("cloudapp.package.corrupt");
        } catch (IOException e) {
            throw refused("cloudapp.package.corrupt");
        }
    }

    // --- Spring Boot

    private static Inspection jar(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = zipNames(zip);
            ZipEntry entry = zip.getEntry("META-INF/MANIFEST.MF");
            if (entry == null) {
                throw refused("cloudapp.package.noManifest");
            }
            Manifest manifest;
            try (InputStream in = zip.getInputStream(entry)) {
                manifest = new Manifest(in);
            }
            Attributes main = manifest.getMainAttributes();
            String mainClass = trimmed(main.getValue("Main-Class"));
            if (mainClass == null) {
                throw refused("cloudapp.package.noMainClass");
            }
            if (mainClass.startsWith(BOOT_LAUNCHER) && trimmed(main.getValue("Start-Class")) == null) {
                throw refused("cloudapp.package.noStartClass", mainClass);
            }
            // seed 001: resources/nginx/ — in an executable jar resources sit under BOOT-INF/classes
            return new Inspection(first(names, "BOOT-INF/classes/nginx/nginx-test.conf", "nginx/nginx-test.conf"),
                first(names, "BOOT-INF/classes/nginx/nginx-prod.conf", "nginx/nginx-prod.conf"));
        }
    }

    // --- PHP

    private static Inspection php(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = zipNames(zip);
            ZipEntry entry = zip.getEntry("_buildpack");
            if (entry == null || entry.isDirectory()) {
                throw refused("cloudapp.package.noBuildpack");
            }
            String buildpack;
            try (InputStream in = zip.getInputStream(entry)) {
                buildpack = new String(in.readNBytes(SMALL_FILE), StandardCharsets.UTF_8);
            }
            String appEntry = null;
            String extensions = null;
            for (String line : buildpack.split("\\R")) {
                int eq = line.indexOf('=');
                if (eq < 0 || line.strip().startsWith("#")) {
                    continue;
                }
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 1).strip();
                if (key.equals("app_entry")) {
                    appEntry = value;
                } else if (key.equals("php_extensions")) {
                    extensions = value;
                }
            }
            appEntry = trimmed(appEntry == null ? null : appEntry.replaceAll("^/+|/+$", ""));
            if (appEntry == null) {
                throw refused("cloudapp.package.noAppEntry");
            }
            String folder = appEntry + "/";
            if (unsafe(appEntry) || names.stream().noneMatch(n -> n.startsWith(folder))) {
                throw refused("cloudapp.package.badAppEntry", appEntry);
            }
            if (extensions != null) {
                for (String name : extensions.split("\\s+")) {
                    if (!name.isEmpty() && !EXTENSION.matcher(name).matches()) {
                        throw refused("cloudapp.package.badExtension", name);
                    }
                }
            }
            return new Inspection(first(names, "nginx/nginx-test.conf"), first(names, "nginx/nginx-prod.conf"));
        }
    }

    // --- Node.js

    private static Inspection tgz(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        byte[] packageJson = null;
        try (InputStream raw = Files.newInputStream(file);
             GzipCompressorInputStream gzip = new GzipCompressorInputStream(raw, true);
             TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (unsafe(name)) {
                    throw refused("cloudapp.package.unsafePath", name);
                }
                if ((entry.isSymbolicLink() || entry.isLink()) && leaves(name, entry.getLinkName(), entry.isLink())) {
                    throw refused("cloudapp.package.unsafePath", name + " -> " + entry.getLinkName());
                }
                String normal = withoutDotSlash(name);
                names.add(normal);
                if (normal.equals("package.json") && entry.isFile()) {
                    packageJson = tar.readNBytes(SMALL_FILE + 1);
                }
            }
            // the rest of the gzip stream: a truncated file ends before its trailer
            gzip.transferTo(OutputStream.nullOutputStream());
        }
        if (packageJson == null) {
            throw refused("cloudapp.package.noPackageJson");
        }
        JsonNode json;
        try {
            json = packageJson.length > SMALL_FILE ? null : JSON.readTree(packageJson);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw refused("cloudapp.package.badPackageJson");
        }
        InvalidFields invalid = new InvalidFields();
        for (String script : List.of("start", "stop")) {
            JsonNode command = json.path("scripts").path(script);
            if (!command.isTextual() || command.asText().isBlank()) {
                invalid.add(FIELD, "cloudapp.package.noScript", script);
            }
        }
        invalid.throwIfAny();
        return new Inspection(first(names, "conf/nginx.test.conf"), first(names, "conf/nginx.prod.conf"));
    }

    // --- paths

    /** Absolute, backslashed, drive-lettered or {@code ..} paths could write outside the folder the package is unpacked in. */
    static boolean unsafe(String name) {
        if (name.startsWith("/") || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0
            || (name.length() > 1 && name.charAt(1) == ':')) {
            return true;
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** A link whose target resolves outside the package (hard links are relative to its root, symbolic to the link). */
    private static boolean leaves(String name, String target, boolean hard) {
        if (target == null || target.isEmpty() || target.startsWith("/") || target.indexOf('\\') >= 0) {
            return true;
        }
        Path root = Path.of("/package");
        Path base = hard ? root : root.resolve(withoutDotSlash(name)).getParent();
        return !base.resolve(target).normalize().startsWith(root);
    }

    private static List<String> zipNames(ZipFile zip) {
        List<String> names = new ArrayList<>();
        Enumeration<? extends ZipEntry> entries = zip.entries();
        while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (unsafe(name)) {
                throw refused("cloudapp.package.unsafePath", name);
            }
            names.add(withoutDotSlash(name));
        }
        return names;
    }

    private static String withoutDotSlash(String name) {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        return n;
    }

    private static String first(List<String> names, String... candidates) {
        for (String candidate : candidates) {
            if (names.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(4);
        }
    }

    private static void requireKind(boolean matches, Runtime runtime) {
        if (!matches) {
            throw refused("cloudapp.package.wrongKind", runtime.name(), runtime.packageKind());
        }
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    static InvalidFields refused(String key, Object... args) {
        return new InvalidFields().add(FIELD, key, args);
    }
}
