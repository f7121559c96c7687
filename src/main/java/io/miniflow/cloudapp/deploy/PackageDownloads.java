package io.miniflow.cloudapp.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.cloudapp.CloudEnvironment;
import io.miniflow.cloudapp.DeployTargets;
import io.miniflow.cloudapp.pkg.DeployablePackages;
import io.miniflow.cloudapp.pkg.ReleasePackage;

/**
 * The servers of an environment fetch the package of a running deploy here (no Miniflow login: they hold the order's
 * token, PackageLinks). Anything else, a wrong token, an ended order, another version, answers the same 404.
 */
@RestController
class PackageDownloads {

    private final DeployRepository deploys;
    private final DeployTargets targets;
    private final DeployablePackages packages;

    PackageDownloads(DeployRepository deploys, DeployTargets targets, DeployablePackages packages) {
        this.deploys = deploys;
        this.targets = targets;
        this.packages = packages;
    }

    @GetMapping(PackageLinks.PATH + "{deployNo}/{version}")
    ResponseEntity<InputStreamResource> download(@PathVariable String deployNo, @PathVariable String version,
                                                 @RequestParam(required = false) String token) throws IOException {
        Deploy deploy = deploys.findByNo(deployNo).orElse(null);
        if (deploy == null || token == null || !deploy.status().active()
            || !(version.equals(deploy.version()) || version.equals(deploy.previousVersion()))
            || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                deploys.downloadToken(deploy.id()).getBytes(StandardCharsets.UTF_8))) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        CloudEnvironment environment = targets.environment(deploy.environmentId());
        ReleasePackage pkg = packages.find(environment.appId(), version).orElse(null);
        if (pkg == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).contentLength(pkg.size())
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + pkg.version() + "\"")
            .header("X-Checksum-SHA256", pkg.sha256())
            .body(new InputStreamResource(packages.open(pkg)));
    }
}
