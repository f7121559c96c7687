package io.miniflow.cloudapp.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;

import io.miniflow.cloudapp.EnvName;

/**
 * What deploys need of the packages: the package of a version, marking it deployed (it may no longer be deleted),
 * recording where each runs, and its bytes for the servers that fetch it.
 */
@Service
public class DeployablePackages {

    private final PackageRepository repository;
    private final PackageStore store;
    private final Clock clock;

    DeployablePackages(PackageRepository repository, PackageStore store, Clock clock) {
        this.repository = repository;
        this.store = store;
        this.clock = clock;
    }

    public Optional<ReleasePackage> find(long appId, String version) {
        return repository.find(appId, version);
    }

    public void markDeployed(ReleasePackage pkg) {
        repository.markDeployed(pkg.id(), clock.instant());
    }

    /** {@code version} runs in the environment now, and no other package of the app does (null: none does). */
    public void runsIn(long appId, EnvName env, String version) {
        for (ReleasePackage pkg : repository.list(appId)) {
            Set<String> in = pkg.runningIn() == null || pkg.runningIn().isBlank() ? new TreeSet<>()
                : new TreeSet<>(Set.of(pkg.runningIn().split(",")));
            boolean changed = pkg.version().equals(version) ? in.add(env.code()) : in.remove(env.code());
            if (changed) {
                repository.setRunningIn(pkg.id(), in.isEmpty() ? null : in.stream().collect(Collectors.joining(",")));
            }
        }
    }

    /** The stored bytes; the caller closes the stream. */
    public InputStream open(ReleasePackage pkg) throws IOException {
        return store.open(pkg.storageKey());
    }
}
