package io.miniflow.release;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramRollbacks.Started;
import io.miniflow.release.MiniProgramRollbacks.VersionView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * JSON API of one mini program's versions, its rollback to a chosen version and its privacy guide, and of an app's
 * default privacy guide (docs/api.md, "Mini programs").
 */
@RestController
class MiniProgramApiController {

    private final MiniProgramRollbacks rollbacks;
    private final PrivacyGuides privacyGuides;

    MiniProgramApiController(MiniProgramRollbacks rollbacks, PrivacyGuides privacyGuides) {
        this.rollbacks = rollbacks;
        this.privacyGuides = privacyGuides;
    }

    @GetMapping("/api/wechat/mini-programs/{appId}/versions")
    Map<String, Object> versions(Authentication auth, @PathVariable String appId) {
        List<VersionView> versions = rollbacks.versions(CurrentUser.from(auth), appId);
        return Map.of("appId", appId, "versions", versions);
    }

    @PostMapping("/api/wechat/mini-programs/{appId}/rollback")
    ResponseEntity<Started> rollBack(Authentication auth, @PathVariable String appId,
                                     @Valid @RequestBody RollbackRequest body) {
        Started started = rollbacks.rollBack(CurrentUser.from(auth), appId, body.appVersion());
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", started.statusUrl()).body(started);
    }

    @GetMapping("/api/wechat/mini-programs/{appId}/rollbacks/{processInstanceId}")
    Map<String, Object> rollback(Authentication auth, @PathVariable String appId,
                                 @PathVariable String processInstanceId) {
        return rollbacks.status(CurrentUser.from(auth), appId, processInstanceId);
    }

    @GetMapping("/api/wechat/mini-programs/{appId}/privacy-guide")
    Map<String, Object> privacyGuide(Authentication auth, @PathVariable String appId) {
        return privacyGuides.view(CurrentUser.from(auth), appId);
    }

    @PutMapping("/api/wechat/mini-programs/{appId}/privacy-guide")
    Map<String, Object> setPrivacyGuide(Authentication auth, @PathVariable String appId,
                                        @Valid @RequestBody PrivacyGuide body) {
        privacyGuides.saveForMiniProgram(CurrentUser.from(auth), appId, body);
        return privacyGuides.view(CurrentUser.from(auth), appId);
    }

    @DeleteMapping("/api/wechat/mini-programs/{appId}/privacy-guide")
    Map<String, Object> removePrivacyGuide(Authentication auth, @PathVariable String appId) {
        privacyGuides.removeForMiniProgram(CurrentUser.from(auth), appId);
        return privacyGuides.view(CurrentUser.from(auth), appId);
    }

    @GetMapping("/api/wechat/apps/{appCode}/privacy-guide")
    Map<String, Object> appPrivacyGuide(Authentication auth, @PathVariable String appCode) {
        return privacyGuides.viewForApp(CurrentUser.from(auth), appCode);
    }

    @PutMapping("/api/wechat/apps/{appCode}/privacy-guide")
    Map<String, Object> setAppPrivacyGuide(Authentication auth, @PathVariable String appCode,
                                           @Valid @RequestBody PrivacyGuide body) {
        privacyGuides.saveForApp(CurrentUser.from(auth), appCode, body);
        return privacyGuides.viewForApp(CurrentUser.from(auth), appCode);
    }

    /** appVersion: the platform's app_version from {@code GET .../versions}. */
    record RollbackRequest(
        @NotNull(message = "{miniProgram.appVersion.required}")
        @Min(value = 1, message = "{miniProgram.appVersion.range}")
        @Max(value = Integer.MAX_VALUE, message = "{miniProgram.appVersion.range}") Integer appVersion) {
    }
}
