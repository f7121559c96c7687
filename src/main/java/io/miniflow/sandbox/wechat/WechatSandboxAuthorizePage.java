package io.miniflow.sandbox.wechat;

import java.nio.charset.StandardCharsets;

import io.miniflow.sandbox.wechat.WechatSandboxStore.Authorizer;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * Plays the merchant's side of mp.weixin.qq.com/cgi-bin/componentloginpage: pick one of the sandbox's mini programs
 * (or create one), confirm, and the browser goes to redirect_uri with auth_code while the platform pushes
 * {@code authorized} (or {@code updateauthorized}) to the callback.
 */
@RestController
class WechatSandboxAuthorizePage {

    private final WechatSandboxPlatform platform;
    private final WechatSandboxStore store;

    WechatSandboxAuthorizePage(WechatSandboxPlatform platform, WechatSandboxStore store) {
        this.platform = platform;
        this.store = store;
    }

    @GetMapping(value = "/sandbox/wechat/authorize", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> page(@RequestParam("component_appid") String componentAppId,
                                @RequestParam("pre_auth_code") String preAuthCode,
                                @RequestParam("redirect_uri") String redirectUri,
                                @RequestParam(value = "auth_type", required = false) String authType,
                                @RequestParam(value = "biz_appid", required = false) String bizAppId) {
        if (!platform.isThisComponent(componentAppId)) {
            return html(HttpStatus.BAD_REQUEST, "<p>Unknown third-party platform " + esc(componentAppId) + ".</p>");
        }
        StringBuilder options = new StringBuilder();
        for (Authorizer a : store.authorizers(0, 200, false)) {
            if (bizAppId != null && !bizAppId.isBlank() && !bizAppId.equals(a.appId())) {
                continue;
            }
            options.append("<li><label><input type=\"radio\" name=\"appid\" value=\"").append(esc(a.appId()))
                .append("\"> ").append(esc(a.nickName())).append(" (").append(esc(a.appId())).append(", ")
                .append(esc(a.status().toLowerCase(java.util.Locale.ROOT))).append(")</label></li>");
        }
        String body = "<h1>Authorize a mini program</h1>"
            + "<p>The third-party platform <b>" + esc(componentAppId) + "</b> asks to manage your mini program "
            + "(permission sets 17, 18, 19" + (authType == null ? "" : ", auth_type " + esc(authType)) + ").</p>"
            + "<form method=\"post\" action=\"/sandbox/wechat/authorize\">"
            + hidden("pre_auth_code", preAuthCode) + hidden("redirect_uri", redirectUri)
            + "<ul>" + options
            + (bizAppId == null || bizAppId.isBlank()
                ? "<li><label><input type=\"radio\" name=\"appid\" value=\"\" checked> Create a new mini program named "
                    + "<input name=\"nick_name\" value=\"My Sandbox Shop\"></label></li>" : "")
            + "</ul><button type=\"submit\" id=\"confirm\">Confirm authorization</button></form>";
        return html(HttpStatus.OK, body);
    }

    @PostMapping(value = "/sandbox/wechat/authorize", produces = MediaType.TEXT_HTML_VALUE)
    ResponseEntity<String> confirm(@RequestParam("pre_auth_code") String preAuthCode,
                                   @RequestParam("redirect_uri") String redirectUri,
                                   @RequestParam(value = "appid", required = false) String appId,
                                   @RequestParam(value = "nick_name", required = false) String nickName) {
        WechatSandboxPlatform.Authorization authorization;
        try {
            authorization = platform.confirmAuthorization(preAuthCode, appId, nickName);
        } catch (SandboxWxError e) {
            return html(HttpStatus.BAD_REQUEST, "<p>" + esc(e.getMessage()) + "</p>");
        }
        return ResponseEntity.status(HttpStatus.FOUND)
            .header(HttpHeaders.LOCATION, authorization.redirectTarget(redirectUri)).build();
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + esc(value) + "\">";
    }

    private static String esc(String s) {
        return s == null ? "" : HtmlUtils.htmlEscape(s);
    }

    private static ResponseEntity<String> html(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
            .body("<!doctype html><html><head><meta charset=\"utf-8\"><title>WeChat sandbox</title></head><body>"
                + body + "</body></html>");
    }
}
