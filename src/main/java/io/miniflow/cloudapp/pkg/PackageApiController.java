package io.miniflow.cloudapp.pkg;

import java.io.IOException;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.miniflow.cloudapp.pkg.PackageViews.PackageView;
import io.miniflow.cloudapp.pkg.PackageViews.Uploaded;
import io.miniflow.identity.CurrentUser;

/** JSON API of release packages (docs/cloud-apps.md, Packages). */
@RestController
class PackageApiController {

    private final PackageService packages;

    PackageApiController(PackageService packages) {
        this.packages = packages;
    }

    @PostMapping("/api/cloud-apps/{name}/packages")
    ResponseEntity<Uploaded> upload(Authentication auth, @PathVariable String name,
                                    @RequestParam(required = false) MultipartFile file,
                                    @RequestParam(required = false) String version) throws IOException {
        Uploaded uploaded = packages.upload(CurrentUser.from(auth), name, file == null ? null : file.getInputStream(),
            file == null ? null : file.getOriginalFilename(), version);
        return ResponseEntity.status(HttpStatus.CREATED)
            .header("Location", "/api/cloud-apps/" + name + "/packages/" + uploaded.version()).body(uploaded);
    }

    @GetMapping("/api/cloud-apps/{name}/packages")
    List<PackageView> list(Authentication auth, @PathVariable String name) {
        return packages.list(CurrentUser.from(auth), name);
    }

    @DeleteMapping("/api/cloud-apps/{name}/packages/{version}")
    ResponseEntity<Void> delete(Authentication auth, @PathVariable String name, @PathVariable String version) {
        packages.delete(CurrentUser.from(auth), name, version);
        return ResponseEntity.noContent().build();
    }
}
