package io.miniflow.cloudapp.pkg;

import java.io.IOException;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.cloudapp.pkg.PackageViews.Uploaded;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.InvalidFields;
import io.miniflow.shared.MiniflowException;

/** The console's upload and delete of packages (the app page's Packages section): POST → redirect with a flash. */
@Controller
class PackageController {

    private final PackageService packages;
    private final ConsoleText text;

    PackageController(PackageService packages, ConsoleText text) {
        this.packages = packages;
        this.text = text;
    }

    @PostMapping("/environments/apps/{name}/packages")
    String upload(Authentication auth, @PathVariable String name, @RequestParam(required = false) MultipartFile file,
                  @RequestParam(required = false) String version, RedirectAttributes redirect) throws IOException {
        try {
            boolean none = file == null || file.isEmpty() && (file.getOriginalFilename() == null
                || file.getOriginalFilename().isBlank());
            Uploaded uploaded = packages.upload(CurrentUser.from(auth), name, none ? null : file.getInputStream(),
                none ? null : file.getOriginalFilename(), version);
            redirect.addFlashAttribute("message", text.of("cloudapps.packages.uploadedFlash", uploaded.version()));
        } catch (InvalidFields invalid) {
            redirect.addFlashAttribute("error", invalid.fields().stream()
                .map(f -> text.of(f.key(), f.args())).reduce((a, b) -> a + " " + b).orElse(""));
        } catch (MiniflowException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/environments/apps/" + name + "#packages";
    }

    @PostMapping("/environments/apps/{name}/packages/{version}/delete")
    String delete(Authentication auth, @PathVariable String name, @PathVariable String version,
                  @RequestParam(defaultValue = "false") boolean confirm, RedirectAttributes redirect) {
        if (!confirm) {
            redirect.addFlashAttribute("error", text.of("cloudapps.packages.deleteUnconfirmed", version));
            return "redirect:/environments/apps/" + name + "#packages";
        }
        try {
            packages.delete(CurrentUser.from(auth), name, version);
            redirect.addFlashAttribute("message", text.of("cloudapps.packages.deletedFlash", version));
        } catch (MiniflowException e) {
            if (e.status().value() == 404) {
                throw e;
            }
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/environments/apps/" + name + "#packages";
    }
}
