package io.miniflow.tenant;

import java.time.Clock;
import java.util.Optional;

import io.miniflow.wechat.WechatApiException;
import io.miniflow.wechat.WechatAuthorizations;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pages a merchant sees, without a Miniflow login (io.miniflow.identity.PlatformEndpoints): the link a SaaS
 * platform hands out sends the browser on to WeChat's authorization page, and WeChat sends it back here with the
 * auth_code, which is redeemed before anything is believed.
 */
@Controller
class TenantAuthorizationPages {

    static final String VIEW = "tenants/authorization";

    private final TenantAuthorizations authorizations;
    private final WechatAuthorizations wechat;
    private final Clock clock;

    TenantAuthorizationPages(TenantAuthorizations authorizations, WechatAuthorizations wechat, Clock clock) {
        this.authorizations = authorizations;
        this.wechat = wechat;
        this.clock = clock;
    }

    @GetMapping(TenantLinks.AUTHORIZE_PATH + "{businessId}")
    String authorize(@PathVariable String businessId, Model model, HttpServletResponse response) {
        Optional<TenantApp> app = authorizations.waiting(businessId);
        if (app.isEmpty()) {
            return page(model, response, HttpServletResponse.SC_GONE, "tenant.authorize.gone");
        }
        try {
            return "redirect:" + authorizations.authorizationPage(app.get());
        } catch (WechatApiException e) {
            return page(model, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "tenant.authorize.unavailable");
        }
    }

    @GetMapping(TenantLinks.AUTHORIZED_PATH + "{businessId}")
    String authorized(@PathVariable String businessId, @RequestParam("auth_code") String authCode, Model model,
                      HttpServletResponse response) {
        if (authorizations.waiting(businessId).isEmpty()) {
            return page(model, response, HttpServletResponse.SC_GONE, "tenant.authorize.gone");
        }
        String appId;
        try {
            appId = wechat.redeem(authCode, clock.instant());
        } catch (WechatApiException e) {
            return page(model, response, HttpServletResponse.SC_BAD_REQUEST, "tenant.authorize.refused");
        }
        authorizations.granted(businessId, appId);
        model.addAttribute("appId", appId);
        return page(model, response, HttpServletResponse.SC_OK, "tenant.authorize.done");
    }

    private static String page(Model model, HttpServletResponse response, int status, String messageKey) {
        response.setStatus(status);
        model.addAttribute("messageKey", messageKey);
        return VIEW;
    }
}
