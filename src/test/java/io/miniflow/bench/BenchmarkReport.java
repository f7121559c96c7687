package io.miniflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import io.miniflow.MiniflowNode;

/**
 * Writes one section of docs/benchmarks.md, replacing that section's previous figures and leaving the other
 * sections alone. Each benchmark owns one section, delimited by HTML comments.
 */
public final class BenchmarkReport {

    private static final Path FILE = Path.of("docs/benchmarks.md");
    private static final String HEADER = """
        # Benchmarks

        Figures measured on the machine named in each section; rerun with `mvn -Pbench verify` (which runs only the
        tests tagged `bench` and rewrites the sections below). `mvn verify` never runs them, and no unit test asserts
        timings. Set TEST_DB_URL (see .ci/run) to include MariaDB where a benchmark supports it.
        """;

    private BenchmarkReport() {
    }

    public static synchronized void writeSection(String name, String markdown) throws IOException {
        String begin = "<!-- bench:" + name + ":begin -->";
        String end = "<!-- bench:" + name + ":end -->";
        String content = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : HEADER;
        String section = begin + "\n" + markdown.strip() + "\n\n" + machine() + "\n" + end;
        int from = content.indexOf(begin);
        int to = content.indexOf(end);
        if (from >= 0 && to > from) {
            content = content.substring(0, from) + section + content.substring(to + end.length());
        } else {
            content = content.stripTrailing() + "\n\n" + section + "\n";
        }
        Files.writeString(FILE, content, StandardCharsets.UTF_8);
    }

    /** The machine and date, so a figure is never read without its context. */
    public static String machine() {
        Runtime rt = Runtime.getRuntime();
        return "_Measured " + LocalDate.now() + " on " + rt.availableProcessors() + " cores, "
            + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
            + System.getProperty("java.version") + ", max heap " + rt.maxMemory() / (1024 * 1024) + " MiB, JVM "
            + ManagementFactory.getRuntimeMXBean().getVmName() + "._";
    }

    /** Resident set size of this JVM in MiB (Linux), or -1 where /proc is not available. */
    public static long rssMiB() {
        return MiniflowNode.rssMiB(ProcessHandle.current().pid());
    }
}
