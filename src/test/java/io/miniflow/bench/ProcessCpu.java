package io.miniflow.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * CPU time of the processes a benchmark puts side by side: this JVM, and another process of this machine (the
 * database, the emulators' JVM) read from Linux's /proc. Where /proc does not tell, -1.
 */
final class ProcessCpu {

    private static final double CLOCK_TICKS_PER_SECOND = clockTicks();

    private ProcessCpu() {
    }

    /** CPU time this JVM has used so far, in seconds. */
    static double thisJvmSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime() / 1e9;
    }

    /** User and system CPU time a process has used so far, in seconds (/proc/{pid}/stat), or -1. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            // The command name (field 2) is in parentheses and may hold spaces: count the fields after it.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name (state is the first).
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The process of the MySQL-family database behind {@code jdbc}, when it runs on this machine: the one its pid file
     * names, else the only mariadbd or mysqld here, else the one started with the port of {@code url}.
     */
    static OptionalLong databasePid(JdbcClient jdbc, String url) {
        try {
            String pidFile = jdbc.sql("SELECT @@pid_file").query(String.class).single();
            Path path = Path.of(pidFile);
            if (!path.isAbsolute()) {
                path = Path.of(jdbc.sql("SELECT @@datadir").query(String.class).single()).resolve(pidFile);
            }
            long pid = Long.parseLong(Files.readString(path).trim());
            if (isDatabase(pid)) {
                return OptionalLong.of(pid);
            }
        } catch (IOException | RuntimeException e) {
            // Not readable from here (another user, a container): look at the processes instead.
        }
        List<Long> candidates = new ArrayList<>();
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            processes.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::valueOf)
                .filter(ProcessCpu::isDatabase).forEach(candidates::add);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        if (candidates.size() == 1) {
            return OptionalLong.of(candidates.get(0));
        }
        String port = "--port=" + URI.create(url.substring("jdbc:".length())).getPort();
        return candidates.stream().filter(pid -> commandLine(pid).contains(port)).mapToLong(Long::longValue)
            .findFirst();
    }

    private static boolean isDatabase(long pid) {
        try {
            String name = Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
            return name.equals("mariadbd") || name.equals("mysqld");
        } catch (IOException e) {
            return false;
        }
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The kernel's clock ticks per second, in which /proc counts CPU time (100 on Linux almost everywhere). */
    private static double clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String answer = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Double.parseDouble(answer) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
