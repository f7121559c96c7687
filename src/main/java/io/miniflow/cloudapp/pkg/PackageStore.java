package io.miniflow.cloudapp.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where accepted release packages are kept, by key ({@code <app>/<version>.<kind>}): a local folder by default
 * ({@link LocalFolderPackageStore}); an object store (OSS) can take its place by implementing this port.
 */
public interface PackageStore {

    /** Stores the checked file under the key, moving or copying it; an existing key is replaced. */
    void put(String key, Path file) throws IOException;

    /** The stored bytes; the caller closes the stream. */
    InputStream open(String key) throws IOException;

    /** Removes the package; a key that is already gone is fine. */
    void delete(String key) throws IOException;
}
