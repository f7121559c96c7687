package io.miniflow.cloudapp.pkg;

import java.time.Instant;
import java.util.List;

/** What the API and the console show of release packages. */
public final class PackageViews {

    private PackageViews() {
    }

    /** The 201 of an upload. */
    public record Uploaded(String version, String sha256, long size) {
    }

    /** A line of the package list; nginxTest / nginxProd: where the package keeps that configuration, if it does. */
    public record PackageView(String version, String fileName, long size, String sha256, String uploadedBy,
                              Instant uploadedAt, boolean nginxFound, String nginxTest, String nginxProd,
                              boolean deployed, String runningIn, boolean deletable) {

        static PackageView of(ReleasePackage p) {
            return new PackageView(p.version(), p.fileName(), p.size(), p.sha256(), p.uploadedBy(), p.uploadedAt(),
                p.nginxTest() != null || p.nginxProd() != null, p.nginxTest(), p.nginxProd(), p.deployed(),
                p.runningIn(), p.deletable());
        }
    }

    /** The console's Packages section: the list, and whether the user may upload and delete. */
    public record PackagesSection(String app, String packageKind, boolean canEdit, String maxSize,
                                  List<PackageView> packages) {
    }
}
