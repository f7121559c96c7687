package io.miniflow.sandbox.wechat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletRequest;

import io.miniflow.sandbox.wechat.WechatSandboxStore.Token;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * api.weixin.qq.com under /sandbox/wechat: one entry point that looks up the API by path, applies the injected
 * latency and faults, checks the token the API needs (accepting both {@code access_token=} and
 * {@code component_access_token=}), counts the call, and answers JSON the way WeChat does (HTTP 200 with errcode).
 */
@RestController
class WechatSandboxApiController {

    static final String PREFIX = "/sandbox/wechat/";

    private enum Auth { NONE, COMPONENT, AUTHORIZER }

    private record Call(String appId, JsonNode body, String rawBody, HttpServletRequest request) {
    }

    @FunctionalInterface
    private interface Handler {
        Object handle(Call call);
    }

    private record Endpoint(Auth auth, Handler handler) {
    }

    private final WechatSandboxPlatform platform;
    private final WechatSandboxSettings settings;
    private final WechatSandboxStats stats;
    private final ObjectMapper json;
    private final Map<String, Endpoint> endpoints = new HashMap<>();

    private final WechatSandboxFrequencyLimit frequencyLimit;

    WechatSandboxApiController(WechatSandboxPlatform platform, WechatSandboxSettings settings,
                               WechatSandboxStats stats, ObjectMapper json, WechatSandboxFrequencyLimit frequencyLimit) {
        this.frequencyLimit = frequencyLimit;
        this.platform = platform;
        this.settings = settings;
        this.stats = stats;
        this.json = json;
        String c = "cgi-bin/component/";
        on(c + "api_start_push_ticket", Auth.NONE, call -> platform.startPushTicket(call.body()));
        on(c + "api_component_token", Auth.NONE, call -> platform.componentToken(call.body()));
        on(c + "api_create_preauthcode", Auth.COMPONENT, call -> platform.createPreAuthCode(call.body()));
        on(c + "api_query_auth", Auth.COMPONENT, call -> platform.queryAuth(call.body()));
        on(c + "api_authorizer_token", Auth.COMPONENT, call -> platform.authorizerToken(call.body()));
        on(c + "api_get_authorizer_info", Auth.COMPONENT, call -> platform.authorizerInfo(call.body()));
        on(c + "api_get_authorizer_list", Auth.COMPONENT, call -> platform.authorizerList(call.body()));
        on(c + "modify_wxa_server_domain", Auth.COMPONENT,
            call -> platform.modifyServerDomain(call.body(), "server-domains", "wxa_server_domain"));
        on(c + "modify_wxa_jump_domain", Auth.COMPONENT,
            call -> platform.modifyServerDomain(call.body(), "jump-domains", "wxa_jump_h5_domain"));
        on(c + "setprivacysetting", Auth.AUTHORIZER, call -> platform.setPrivacySetting(call.appId(), call.body()));
        on(c + "getprivacysetting", Auth.AUTHORIZER, call -> platform.getPrivacySetting(call.appId(), call.body()));

        on("wxa/gettemplatedraftlist", Auth.COMPONENT, call -> platform.draftList());
        on("wxa/addtotemplate", Auth.COMPONENT, call -> platform.addToTemplate(call.body()));
        on("wxa/gettemplatelist", Auth.COMPONENT, call -> {
            String type = call.request().getParameter("template_type");
            return platform.templateList(type == null || type.isBlank() ? null : Integer.valueOf(type));
        });
        on("wxa/deletetemplate", Auth.COMPONENT, call -> platform.deleteTemplate(call.body()));

        on("wxa/commit", Auth.AUTHORIZER, call -> platform.commit(call.appId(), call.body()));
        on("wxa/security/get_code_privacy_info", Auth.AUTHORIZER, call -> platform.codePrivacyInfo(call.appId()));
        on("wxa/get_page", Auth.AUTHORIZER, call -> platform.pageList(call.appId()));
        on("wxa/get_category", Auth.AUTHORIZER, call -> platform.categories());
        on("wxa/get_qrcode", Auth.AUTHORIZER, call -> {
            platform.requireCommittedForQrCode(call.appId());
            return qrCode(call.appId() + "|" + call.request().getParameter("path"));
        });
        on("wxa/getversioninfo", Auth.AUTHORIZER, call -> platform.versionInfo(call.appId()));
        on("wxa/submit_audit", Auth.AUTHORIZER, call -> platform.submitAudit(call.appId(), call.body()));
        on("wxa/get_auditstatus", Auth.AUTHORIZER, call -> platform.auditStatus(call.appId(), call.body()));
        on("wxa/get_latest_auditstatus", Auth.AUTHORIZER, call -> platform.latestAuditStatus(call.appId()));
        on("wxa/undocodeaudit", Auth.AUTHORIZER, call -> platform.undoAudit(call.appId()));
        on("wxa/speedupaudit", Auth.AUTHORIZER, call -> platform.speedUpAudit(call.appId(), call.body()));
        on("wxa/queryquota", Auth.AUTHORIZER, call -> platform.queryQuota());
        on("wxa/release", Auth.AUTHORIZER, call -> platform.release(call.appId(), call.rawBody()));
        on("wxa/grayrelease", Auth.AUTHORIZER, call -> platform.grayRelease(call.appId(), call.body()));
        on("wxa/revertgrayrelease", Auth.AUTHORIZER, call -> platform.revertGrayRelease(call.appId()));
        on("wxa/getgrayreleaseplan", Auth.AUTHORIZER, call -> platform.grayReleasePlan(call.appId()));
        on("wxa/revertcoderelease", Auth.AUTHORIZER, call -> platform.revertCodeRelease(call.appId(),
            call.request().getParameter("action"), call.request().getParameter("app_version")));
        on("wxa/change_visitstatus", Auth.AUTHORIZER, call -> platform.changeVisitStatus(call.appId(), call.body()));
        on("wxa/getvisitstatus", Auth.AUTHORIZER, call -> platform.visitStatus(call.appId(), call.rawBody()));
        on("wxa/modify_domain", Auth.AUTHORIZER, call -> platform.modifyDomain(call.appId(), call.body(), false));
        on("wxa/modify_domain_directly", Auth.AUTHORIZER,
            call -> platform.modifyDomain(call.appId(), call.body(), true));
        on("wxa/setwebviewdomain", Auth.AUTHORIZER, call -> platform.setWebviewDomain(call.appId(), call.body()));
        on("wxa/setwebviewdomain_directly", Auth.AUTHORIZER,
            call -> platform.setWebviewDomain(call.appId(), call.body()));
        onTesters();
    }

    /** Experience-version testers: bind_tester, unbind_tester, memberauth. */
    private void onTesters() {
        on("wxa/bind_tester", Auth.AUTHORIZER, call -> platform.bindTester(call.appId(), call.body()));
        on("wxa/unbind_tester", Auth.AUTHORIZER, call -> platform.unbindTester(call.appId(), call.body()));
        on("wxa/memberauth", Auth.AUTHORIZER, call -> platform.testers(call.appId(), call.body()));
    }

    private void on(String api, Auth auth, Handler handler) {
        endpoints.put(api, new Endpoint(auth, handler));
    }

    @RequestMapping({"/sandbox/wechat/cgi-bin/**", "/sandbox/wechat/wxa/**"})
    ResponseEntity<?> handle(HttpServletRequest request, @RequestBody(required = false) byte[] bodyBytes) {
        String api = request.getRequestURI().substring(request.getContextPath().length() + PREFIX.length());
        Endpoint endpoint = endpoints.get(api);
        if (endpoint == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_JSON)
                .body(error(-1, "sandbox: unknown api " + api));
        }
        String rawBody = bodyBytes == null ? null : new String(bodyBytes, StandardCharsets.UTF_8);
        String appId = "-";
        boolean repeat = false;
        try {
            long latency = settings.latencyMillis(api);
            if (latency > 0) {
                Thread.sleep(latency);
            }
            if (!frequencyLimit.admit()) {
                throw new SandboxWxError(45011, "api minute-quota reach limit  mustslower  retry next minute");
            }
            ResponseEntity<Object> failed = injectFault(settings.fault(api));
            if (failed != null) {
                return failed;
            }
            JsonNode body = parse(rawBody);
            appId = switch (endpoint.auth()) {
                case NONE -> settings.componentAppId();
                case COMPONENT -> platform.requireToken(token(request), "COMPONENT").appId();
                case AUTHORIZER -> {
                    Token t = platform.requireToken(token(request), "AUTHORIZER");
                    yield t.appId();
                }
            };
            failed = injectFault(settings.fault(api, appId));
            if (failed != null) {
                return failed;
            }
            repeat = switch (api) {
                case "wxa/commit" -> platform.isRepeatCommit(appId, body);
                case "wxa/submit_audit" -> platform.isRepeatSubmit(appId);
                case "wxa/release" -> platform.isRepeatRelease(appId);
                default -> false;
            };
            Object result = endpoint.handler().handle(new Call(appId, body, rawBody, request));
            if (result instanceof byte[] image) {
                return ResponseEntity.ok().contentType(MediaType.IMAGE_JPEG)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"QRCode.jpg\"").body(image);
            }
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(result);
        } catch (SandboxWxError e) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(error(e.code, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(error(-1, "system error"));
        } finally {
            stats.count(api, appId, repeat);
        }
    }

    /**
     * Fails this call as the fault says, with its rate's chance: an HTTP 502 is answered (returned), an errcode thrown;
     * null when the call goes on. Faults come before the call does anything, as the platform's busy answers do.
     */
    private static ResponseEntity<Object> injectFault(WechatSandboxSettings.Fault fault) {
        if (fault == null || ThreadLocalRandom.current().nextDouble() >= fault.rate()) {
            return null;
        }
        String kind = fault.kind();
        if (WechatSandboxSettings.Fault.MIXED.equals(kind)) {
            List<String> transients = WechatSandboxSettings.Fault.TRANSIENT;
            kind = transients.get(ThreadLocalRandom.current().nextInt(transients.size()));
        }
        switch (kind) {
            case WechatSandboxSettings.Fault.HTTP_5XX -> {
                return ResponseEntity.status(HttpStatus.BAD_GATEWAY).contentType(MediaType.TEXT_HTML)
                    .body("<html><body>502 Bad Gateway</body></html>");
            }
            case WechatSandboxSettings.Fault.QUOTA -> throw new SandboxWxError(45009, "reach max api daily quota limit");
            case WechatSandboxSettings.Fault.FREQUENCY -> throw new SandboxWxError(45011,
                "api minute-quota reach limit  mustslower  retry next minute");
            case WechatSandboxSettings.Fault.ERRCODE -> throw new SandboxWxError(
                fault.errcode() == null ? -1 : fault.errcode(), "sandbox: injected error");
            default -> throw new SandboxWxError(-1, "system error");
        }
    }

    private JsonNode parse(String rawBody) {
        if (rawBody == null || rawBody.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(rawBody);
            return node == null ? json.createObjectNode() : node;
        } catch (Exception e) {
            throw new SandboxWxError(47001, "data format error");
        }
    }

    private static String token(HttpServletRequest request) {
        String token = request.getParameter("access_token");
        return token != null ? token : request.getParameter("component_access_token");
    }

    private static Map<String, Object> error(int code, String message) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("errcode", code);
        r.put("errmsg", message + " rid: sandbox-" + Long.toHexString(System.nanoTime()));
        return r;
    }

    /** A real JPEG: a 25×25 module pattern derived from the content, so different paths give different images. */
    static byte[] qrCode(String content) {
        try {
            byte[] seed = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            int modules = 25;
            int scale = 8;
            BufferedImage image = new BufferedImage(modules * scale + 32, modules * scale + 32,
                BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.setColor(Color.BLACK);
            for (int y = 0; y < modules; y++) {
                for (int x = 0; x < modules; x++) {
                    int bit = (y * modules + x) % (seed.length * 8);
                    boolean finder = (x < 7 && y < 7) || (x >= modules - 7 && y < 7) || (x < 7 && y >= modules - 7);
                    boolean dark = finder ? (x % 6 == 0 || y % 6 == 0 || (x % 6 >= 2 && x % 6 <= 4 && y % 6 >= 2
                        && y % 6 <= 4)) : ((seed[bit / 8] >> (bit % 8)) & 1) == 1;
                    if (dark) {
                        g.fillRect(16 + x * scale, 16 + y * scale, scale, scale);
                    }
                }
            }
            g.dispose();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "jpg", out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new SandboxWxError(-1, "system error");
        }
    }
}
