package io.miniflow.cloudapp.pkg;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** {@code miniflow.cloud.packages.*}: the local store's folder and the largest package accepted. */
@ConfigurationProperties("miniflow.cloud.packages")
public class PackageSettings {

    private Path root = Path.of("data", "packages");
    private DataSize maxSize = DataSize.ofMegabytes(500);

    public Path getRoot() {
        return root;
    }

    public void setRoot(Path root) {
        this.root = root;
    }

    public DataSize getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(DataSize maxSize) {
        this.maxSize = maxSize;
    }
}
