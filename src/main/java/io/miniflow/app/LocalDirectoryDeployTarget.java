package io.miniflow.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The deploy target Miniflow ships with: writes each version's artifact manifest under
 * {@code <root>/<deployPath>/<appCode>/<envCode>/<version>/manifest.json} and switches {@code current.json} to it
 * (an atomic move), so a repeated deploy writes the same files again and changes nothing. The version-independent
 * files go to the environment's file storage, {@code <root>/_storage/<bucket>/<appCode>/<envCode>/} (no deploy path
 * starts with "_", so the two never meet). In the sandbox the
 * result answers at {@code /sandbox/deploy/...} (LocalDeployController).
 */
@Component
class LocalDirectoryDeployTarget implements DeployTargetPort {

    static final String STORAGE_DIR = "_storage";

    private final Path root;
    private final DeployFaults faults;
    private final ObjectMapper json;

    LocalDirectoryDeployTarget(@Value("${miniflow.deploy.local-root:./data/deploy}") String root, DeployFaults faults,
                               ObjectMapper json) {
        this.root = Path.of(root).toAbsolutePath().normalize();
        this.faults = faults;
        this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
    }

    Path root() {
        return root;
    }

    @Override
    public DeployResult deploy(DeployRequest request, Consumer<String> progress) {
        Path envDir = root.resolve(request.deployPath().replaceFirst("^/+", ""))
            .resolve(request.appCode()).resolve(request.envCode()).normalize();
        if (!envDir.startsWith(root)) {
            throw new IllegalArgumentException("deploy path leaves the deploy root: " + request.deployPath());
        }
        progress.accept("Preparing the artifact manifest of " + request.appCode() + " " + request.version());
        pause();
        if (faults.shouldFail(request.deployPath())) {
            throw new IllegalStateException("Deploy target " + request.deployPath() + " refused the upload (simulated fault)");
        }
        Map<String, Object> manifest = new LinkedHashMap<>(request.manifest());
        manifest.put("appCode", request.appCode());
        manifest.put("envCode", request.envCode());
        manifest.put("version", request.version());
        manifest.put("engineVersion", request.engineVersion());
        try {
            Path versionDir = Files.createDirectories(envDir.resolve(request.version()));
            writeAtomically(versionDir.resolve("manifest.json"), json.writeValueAsBytes(manifest));
            progress.accept("Uploaded the manifest to " + request.deployPath() + "/" + request.appCode() + "/"
                + request.envCode() + "/" + request.version());
            pause();
            writeAtomically(envDir.resolve("current.json"), json.writeValueAsBytes(manifest));
            progress.accept("Switched " + request.envCode() + " to " + request.version());
            Map<?, ?> check = json.readValue(envDir.resolve("current.json").toFile(), Map.class);
            if (!request.version().equals(check.get("version"))) {
                throw new IllegalStateException("the environment answers with version " + check.get("version"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deploy to " + envDir + " failed", e);
        }
        String storageUrl = writeStorage(request, progress);
        String url = request.deployDomain().replaceFirst("/+$", "") + request.accessPath().replaceFirst("/+$", "")
            + "/" + request.appCode() + "/" + request.envCode() + "/";
        progress.accept("Health check passed: " + url + " serves " + request.version());
        return new DeployResult(url, storageUrl);
    }

    /** Writes the index of the app's version-independent files to its storage bucket; answers their base URL. */
    private String writeStorage(DeployTargetPort.DeployRequest request, Consumer<String> progress) {
        Path storage = root.resolve(STORAGE_DIR);
        Path dir = storage.resolve(request.storage().bucket()).resolve(request.appCode()).resolve(request.envCode())
            .normalize();
        if (!dir.startsWith(storage)) {
            throw new IllegalArgumentException("storage bucket leaves the storage root: " + request.storage().bucket());
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("appCode", request.appCode());
        index.put("envCode", request.envCode());
        index.put("writtenBy", request.version());
        index.put("storage", request.storage().name());
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve("files.json"), json.writeValueAsBytes(index));
        } catch (IOException e) {
            throw new UncheckedIOException("writing to storage " + dir + " failed", e);
        }
        String url = request.storage().baseUrl().replaceFirst("/+$", "") + "/" + request.appCode() + "/"
            + request.envCode() + "/";
        progress.accept("Files that do not depend on the version are stored in " + request.storage().name() + ": " + url);
        return url;
    }

    private void writeAtomically(Path target, byte[] content) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), ".deploy", ".tmp");
        Files.write(temp, content);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void pause() {
        long delay = faults.delayMillis();
        if (delay > 0) {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("deploy interrupted", e);
            }
        }
    }
}
