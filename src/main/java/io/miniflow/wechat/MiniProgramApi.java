package io.miniflow.wechat;

import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramAccess;
import io.miniflow.wechat.MiniProgramTesters.Tester;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * JSON API of one mini program's experience version on WeChat: its testers and its QR code, and the privacy guide the
 * platform holds for the version under development (docs/api.md, "Mini programs").
 */
@RestController
class MiniProgramApi {

    private final MiniProgramTesters testers;
    private final MiniProgramAccess access;
    private final WechatClient client;

    MiniProgramApi(MiniProgramTesters testers, MiniProgramAccess access, WechatClient client) {
        this.testers = testers;
        this.access = access;
        this.client = client;
    }

    @GetMapping("/api/wechat/mini-programs/{appId}/testers")
    Map<String, Object> testers(Authentication auth, @PathVariable String appId) {
        List<Tester> list = testers.list(CurrentUser.from(auth), appId);
        return Map.of("appId", appId, "testers", list);
    }

    @PostMapping("/api/wechat/mini-programs/{appId}/testers")
    ResponseEntity<Tester> bind(Authentication auth, @PathVariable String appId,
                                @Valid @RequestBody BindRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(testers.bind(CurrentUser.from(auth), appId,
            body.wechatId()));
    }

    @DeleteMapping("/api/wechat/mini-programs/{appId}/testers/{userstr}")
    ResponseEntity<Void> unbind(Authentication auth, @PathVariable String appId, @PathVariable String userstr) {
        testers.unbind(CurrentUser.from(auth), appId, userstr);
        return ResponseEntity.noContent().build();
    }

    /** The experience version's QR code as WeChat draws it (JPEG), streamed as it came. */
    @GetMapping("/api/wechat/mini-programs/{appId}/qrcode")
    ResponseEntity<byte[]> qrCode(Authentication auth, @PathVariable String appId,
                                  @RequestParam(required = false) String path) {
        return image(testers.qrCode(CurrentUser.from(auth), appId, path));
    }

    /** The privacy guide WeChat holds for the version under development (get_privacy_setting, privacy_ver 2). */
    @GetMapping("/api/wechat/mini-programs/{appId}/platform-privacy-guide")
    com.fasterxml.jackson.databind.JsonNode platformPrivacyGuide(Authentication auth, @PathVariable String appId) {
        access.requireViewer(CurrentUser.from(auth), appId);
        return MiniProgramTesters.call(() -> client.getPrivacySetting(appId, 2));
    }

    static ResponseEntity<byte[]> image(byte[] jpeg) {
        return ResponseEntity.ok().contentType(MediaType.IMAGE_JPEG).cacheControl(CacheControl.noStore()).body(jpeg);
    }

    record BindRequest(
        @NotBlank(message = "{tester.wechatId.required}")
        @Size(max = 64, message = "{tester.wechatId.pattern}") String wechatId) {
    }
}
