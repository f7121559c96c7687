package io.miniflow.cloudapp.deploy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.stereotype.Component;

import io.miniflow.shared.PublicAddress;

/**
 * Where a server fetches a release package during a deploy: {@code <public-url>/cloud-packages/<deploy no>/<version>
 * ?token=<the order's token>}. The token is random per order, kept encrypted, and opens only the order's version and
 * the one it may roll back to, only while the order is active (PackageDownloads).
 */
@Component
class PackageLinks {

    static final String PATH = "/cloud-packages/";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PublicAddress publicAddress;
    private final DeployRepository deploys;

    PackageLinks(PublicAddress publicAddress, DeployRepository deploys) {
        this.publicAddress = publicAddress;
        this.deploys = deploys;
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String download(Deploy deploy, String version) {
        return publicAddress.url() + PATH + deploy.deployNo() + "/" + version + "?token="
            + URLEncoder.encode(deploys.downloadToken(deploy.id()), StandardCharsets.UTF_8);
    }
}
