package io.miniflow.cloudapp.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.miniflow.cloudapp.CloudApp;
import io.miniflow.cloudapp.CloudAppService;
import io.miniflow.cloudapp.pkg.PackageCheck.Inspection;
import io.miniflow.cloudapp.pkg.PackageViews.PackageView;
import io.miniflow.cloudapp.pkg.PackageViews.PackagesSection;
import io.miniflow.cloudapp.pkg.PackageViews.Uploaded;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

/**
 * Release packages of cloud apps (issue 15): an upload is streamed to a temporary file (its SHA-256 and size counted
 * on the way, the size limit enforced), checked against the app's runtime, and only then stored and recorded. Members
 * of the app's workspace list them; editors (workspace admins, developers) upload and delete.
 */
@Service
public class PackageService {

    /** Used in the store's key and in URLs: no slash, no leading dot. */
    static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,49}");
    private static final DateTimeFormatter DEFAULT_VERSION = DateTimeFormatter.ofPattern("'v'yyyyMMddHHmmss");
    private static final Logger log = LoggerFactory.getLogger(PackageService.class);

    private final CloudAppService apps;
    private final PackageRepository repository;
    private final PackageStore store;
    private final PackageSettings settings;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final Clock clock;

    PackageService(CloudAppService apps, PackageRepository repository, PackageStore store, PackageSettings settings,
                   AuditLog audit, PlatformTransactionManager transactions, Clock clock) {
        this.apps = apps;
        this.repository = repository;
        this.store = store;
        this.settings = settings;
        this.audit = audit;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    /** Checks and stores the package; 400 (field version or file) or 409 with nothing stored. */
    public Uploaded upload(CurrentUser user, String name, InputStream content, String fileName, String version) {
        CloudApp app = apps.editable(user, name);
        String chosen = version == null || version.isBlank() ? LocalDateTime.now(clock).format(DEFAULT_VERSION)
            : version.strip();
        if (!VERSION.matcher(chosen).matches()) {
            new InvalidFields().add("version", "cloudapp.package.versionPattern").throwIfAny();
        }
        if (content == null) {
            throw PackageCheck.refused("cloudapp.package.fileRequired");
        }
        if (repository.exists(app.id(), chosen)) {
            throw MiniflowException.conflict("cloudapp.package.exists", chosen, name);
        }
        Path temp = null;
        try {
            temp = Files.createTempFile("miniflow-package-", ".part");
            Received received = receive(content, temp);
            Inspection inspection = PackageCheck.check(app.runtime(), temp);
            String key = app.name() + "/" + chosen + "." + app.runtime().packageKind();
            Path file = temp;
            transaction.executeWithoutResult(tx -> {
                repository.insert(app.id(), chosen, shortName(fileName), received.size(), received.sha256(), key,
                    inspection.nginxTest(), inspection.nginxProd(), user.username(), clock.instant());
                audit.record(user.username(), "CLOUD_PACKAGE_UPLOADED", "cloud-package", name + "/" + chosen,
                    app.workspace(), "sha256=" + received.sha256() + " size=" + received.size());
                // last: a failing store rolls the row back; a failing commit after it leaves only a stray file
                try {
                    store.put(key, file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return new Uploaded(chosen, received.sha256(), received.size());
        } catch (DuplicateKeyException raced) {
            throw MiniflowException.conflict("cloudapp.package.exists", chosen, name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(temp);
        }
    }

    public List<PackageView> list(CurrentUser user, String name) {
        CloudApp app = apps.visible(user, name);
        return repository.list(app.id()).stream().map(PackageView::of).toList();
    }

    public PackagesSection section(CurrentUser user, String name) {
        CloudApp app = apps.visible(user, name);
        return new PackagesSection(app.name(), app.runtime().packageKind(), apps.mayEdit(user, app),
            limitText(), repository.list(app.id()).stream().map(PackageView::of).toList());
    }

    /** Deletes a package that was never deployed (409 otherwise): its row, then its file. */
    public void delete(CurrentUser user, String name, String version) {
        CloudApp app = apps.editable(user, name);
        ReleasePackage found = repository.find(app.id(), version == null ? "" : version)
            .orElseThrow(() -> MiniflowException.notFound("cloudapp.package.notFound", version, name));
        transaction.executeWithoutResult(tx -> {
            if (!found.deletable() || !repository.deleteUndeployed(found.id())) {
                throw MiniflowException.conflict("cloudapp.package.deployed", version);
            }
            audit.record(user.username(), "CLOUD_PACKAGE_DELETED", "cloud-package", name + "/" + version,
                app.workspace(), "sha256=" + found.sha256());
        });
        try {
            store.delete(found.storageKey());
        } catch (IOException | RuntimeException e) {
            log.warn("Package {} deleted, but its file {} stays in the store: {}", version, found.storageKey(),
                e.toString());
        }
    }

    private record Received(long size, String sha256) {
    }

    /** Copies the upload to the file in chunks, hashing as it goes; over the limit the copy stops and nothing is kept. */
    private Received receive(InputStream content, Path file) throws IOException {
        long limit = settings.getMaxSize().toBytes();
        MessageDigest sha256 = sha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = content;
             OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                size += n;
                if (size > limit) {
                    throw PackageCheck.refused("cloudapp.package.tooLarge", limitText());
                }
                out.write(buffer, 0, n);
            }
        }
        return new Received(size, HexFormat.of().formatHex(sha256.digest()));
    }

    /** "500 MB", or bytes for a limit that is not whole megabytes (tests). */
    String limitText() {
        long bytes = settings.getMaxSize().toBytes();
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " B";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String shortName(String fileName) {
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        String base = fileName.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        return base.length() > 255 ? base.substring(0, 255) : base;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("Could not delete the temporary package {}: {}", file, e.toString());
            }
        }
    }
}
