package io.miniflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The compose files of docker/ (docs/docker.md): valid for {@code docker compose} where it is installed, and, read as
 * YAML everywhere, saying what the docs promise: MySQL, two Miniflow nodes on one database and the emulators as a
 * service of their own, the nodes' platforms at that service, health checks, and no variable without a default or a
 * line in docs/docker.md.
 */
class DockerComposeFilesTest {

    private static final Path SINGLE = Path.of("docker/docker-compose.yml");
    private static final Path CLUSTER = Path.of("docker/docker-compose.cluster.yml");
    private static final Path DOCS = Path.of("docs/docker.md");

    /**
     * What a node needs to use emulators elsewhere (MiniflowNode.usingEmulatorsAt) and where each must point in the
     * cluster: property → the start of its value.
     */
    private static final Map<String, String> PLATFORMS_AT_EMULATORS = Map.of(
        "miniflow.wechat.api-base-url", "http://emulators:8080/sandbox/wechat",
        "miniflow.aliyun.endpoint", "emulators:8080/sandbox/aliyun",
        "miniflow.wechatpay.base-url", "http://emulators:8080/sandbox/wechatpay",
        "miniflow.wechatpay.sandbox-merchant-url", "http://emulators:8080/sandbox/admin/wechatpay/merchant",
        "miniflow.wechat.authorize-url", "http://localhost:",
        "miniflow.sandbox.emulators", "false");

    @ParameterizedTest
    @ValueSource(strings = {"docker/docker-compose.yml", "docker/docker-compose.cluster.yml"})
    void dockerComposeAcceptsTheFile(String file) throws Exception {
        Assumptions.assumeTrue(dockerComposeInstalled(), "docker compose is not installed here");
        Process config = new ProcessBuilder("docker", "compose", "-f", file, "config", "-q").redirectErrorStream(true)
            .start();
        String output = new String(config.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(config.waitFor(120, TimeUnit.SECONDS)).as("docker compose config finished").isTrue();
        assertThat(config.exitValue()).as("docker compose -f %s config -q: %s", file, output).isZero();
    }

    @Test
    void theSingleNodeFileRunsMiniflowOnMysqlWithHealthChecks() throws IOException {
        Map<String, Object> services = services(SINGLE);
        assertThat(services).containsKeys("mysql", "miniflow");
        Map<String, Object> miniflow = map(services.get("miniflow"));
        Map<String, Object> env = map(miniflow.get("environment"));
        assertThat(String.valueOf(env.get("SPRING_PROFILES_ACTIVE")).split(",")).contains("sandbox", "mysql");
        assertThat(host(env.get("MINIFLOW_DB_URL"))).isEqualTo("mysql");
        assertThat(map(miniflow.get("depends_on"))).containsKey("mysql");
        for (String name : List.of("mysql", "miniflow")) {
            assertThat(map(map(services.get(name)).get("healthcheck"))).as("health check of %s", name)
                .containsKey("test");
        }
    }

    @Test
    void theClusterFileRunsTwoNodesOnOneDatabaseAndTheEmulatorsApart() throws IOException {
        Map<String, Object> base = services(SINGLE);
        Map<String, Object> services = services(CLUSTER);
        assertThat(services).containsKeys("mysql", "node1", "node2", "emulators");

        Map<String, Object> node1 = effective(services, base, "node1");
        Map<String, Object> node2 = effective(services, base, "node2");
        Map<String, Object> emulators = effective(services, base, "emulators");
        for (Map<String, Object> node : List.of(node1, node2)) {
            Map<String, Object> env = map(node.get("environment"));
            List<String> profiles = List.of(String.valueOf(env.get("SPRING_PROFILES_ACTIVE")).split(","));
            assertThat(profiles).contains("mysql").doesNotContain("sandbox-only");
            assertThat(host(env.get("MINIFLOW_DB_URL"))).as("the database of a node").isEqualTo("mysql");
            PLATFORMS_AT_EMULATORS.forEach((property, start) ->
                assertThat(String.valueOf(env.get(environmentName(property)))).as("%s (%s) of a node", property,
                    environmentName(property)).startsWith(start));
            assertThat(String.valueOf(env.get(environmentName("miniflow.wechatpay.notify-url"))))
                .as("WeChat Pay's notifications reach a node").matches("http://node[12]:8080/payments/wechatpay/notify");
            assertThat(map(node.get("healthcheck"))).as("health check of a node").containsKey("test");
        }
        assertThat(map(node1.get("environment")).get("MINIFLOW_DB_URL")).as("one database")
            .isEqualTo(map(node2.get("environment")).get("MINIFLOW_DB_URL"));
        assertThat(String.valueOf(map(node1.get("environment")).get("MINIFLOW_WECHATPAY_NOTIFYURL"))).contains("node1");
        assertThat(String.valueOf(map(node2.get("environment")).get("MINIFLOW_WECHATPAY_NOTIFYURL"))).contains("node2");
        assertThat(map(map(node2.get("depends_on")).get("node1")).get("condition"))
            .as("node 2 waits for node 1, which creates the schema").isEqualTo("service_healthy");
        assertThat(List.of(node1.get("ports"), node2.get("ports")).toString()).contains("8081:8080", "8082:8080");

        Map<String, Object> emulatorsEnv = map(emulators.get("environment"));
        assertThat(emulatorsEnv.get("SPRING_PROFILES_ACTIVE")).isEqualTo("sandbox-only");
        String callback = String.valueOf(emulatorsEnv.get("MINIFLOW_WECHAT_CALLBACK_URL"));
        assertThat(services).containsKey(host(callback));
        assertThat(URI.create(callback).getPath()).isEqualTo("/wechat/callback");
        assertThat(map(emulators.get("healthcheck"))).as("health check of the emulators").containsKey("test");
        assertThat(map(effective(services, base, "mysql").get("healthcheck"))).containsKey("test");
        assertThat(String.valueOf(emulators.get("ports"))).contains(":8080");
    }

    @Test
    void theNodesSetRealSettings() throws IOException {
        // The environment names bind to properties Miniflow has: a misspelt one would be ignored silently.
        Map<String, Object> sandboxProfile = flatten("", load(Path.of("src/main/resources/application-sandbox.yml")));
        for (String property : PLATFORMS_AT_EMULATORS.keySet()) {
            assertThat(sandboxProfile).as("%s in application-sandbox.yml", property).containsKey(property);
        }
        assertThat(sandboxProfile).containsKey("miniflow.wechatpay.notify-url");
        assertThat(Files.readString(Path.of("src/main/resources/application-sandbox-only.yml")))
            .as("the emulators' callback is set from the environment").contains("${MINIFLOW_WECHAT_CALLBACK_URL:");
    }

    @Test
    void everyVariableHasADefaultOrIsDocumentedAndEveryServiceIsDescribed() throws IOException {
        String docs = Files.readString(DOCS);
        Pattern variable = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?][^}]*)?}");
        for (Path file : List.of(SINGLE, CLUSTER)) {
            Matcher m = variable.matcher(Files.readString(file));
            while (m.find()) {
                boolean hasDefault = m.group(2) != null && m.group(2).contains("-");
                assertThat(hasDefault || docs.contains("`" + m.group(1) + "`"))
                    .as("${%s} in %s has a default or is documented in docs/docker.md", m.group(1), file).isTrue();
            }
            for (String service : services(file).keySet()) {
                assertThat(docs).as("service %s of %s described in docs/docker.md", service, file)
                    .contains("`" + service + "`");
            }
        }
        assertThat(docs).contains("docker compose -f docker/docker-compose.cluster.yml up");
    }

    // --- helpers

    private static boolean dockerComposeInstalled() {
        try {
            Process version = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Spring Boot's environment-variable name of a property: dots to underscores, no dashes, upper case. */
    private static String environmentName(String property) {
        return property.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
    }

    /** A service as compose runs it: what it extends (in the single-node file), its own keys merged over that. */
    private static Map<String, Object> effective(Map<String, Object> services, Map<String, Object> base, String name) {
        Map<String, Object> own = map(services.get(name));
        Map<String, Object> result = new LinkedHashMap<>();
        if (own.get("extends") != null) {
            Map<String, Object> extended = map(own.get("extends"));
            assertThat(extended.get("file")).as("%s extends the single-node file", name).isEqualTo("docker-compose.yml");
            result.putAll(map(base.get(String.valueOf(extended.get("service")))));
        }
        for (Map.Entry<String, Object> e : own.entrySet()) {
            if (e.getKey().equals("environment") && result.get("environment") != null) {
                Map<String, Object> env = new LinkedHashMap<>(map(result.get("environment")));
                env.putAll(map(e.getValue()));
                result.put("environment", env);
            } else if (!e.getKey().equals("extends")) {
                result.put(e.getKey(), e.getValue());
            }
        }
        return result;
    }

    private static Map<String, Object> services(Path file) throws IOException {
        return map(load(file).get("services"));
    }

    private static Map<String, Object> load(Path file) throws IOException {
        // Compose's own tags (!override, !reset) mean nothing to a YAML reader: read what they tag.
        String text = Files.readString(file).replace("!override", "").replace("!reset", "");
        Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        assertThat(yaml).as("%s", file).isNotNull();
        return yaml;
    }

    private static Map<String, Object> flatten(String prefix, Map<String, Object> yaml) {
        Map<String, Object> flat = new LinkedHashMap<>();
        yaml.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?>) {
                flat.putAll(flatten(name, map(value)));
            } else {
                flat.put(name, value);
            }
        });
        return flat;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static String host(Object url) {
        String text = String.valueOf(url);
        return URI.create(text.startsWith("jdbc:") ? text.substring(5) : text).getHost();
    }
}
