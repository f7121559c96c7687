package io.miniflow.wechat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramAccess;
import io.miniflow.release.MiniProgramRollbacks;
import io.miniflow.release.PrivacyGuide;
import io.miniflow.release.PrivacyGuides;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;

/**
 * The console page of one mini program (linked from the authorizers page and a batch's items): its versions with a
 * rollback to a chosen one (after a confirmation page), the experience version's QR code, its testers and its privacy
 * guide. Members of the mini program's workspace see it; those who may release there change it.
 */
@Controller
class MiniProgramPageController {

    static final String VIEW_PAGE = "wechat/mini-program";
    static final String VIEW_CONFIRM = "wechat/mini-program-confirm";

    private final MiniProgramAccess access;
    private final MiniProgramRollbacks rollbacks;
    private final MiniProgramTesters testers;
    private final PrivacyGuides privacyGuides;
    private final WechatClient client;
    private final ConsoleText text;

    MiniProgramPageController(MiniProgramAccess access, MiniProgramRollbacks rollbacks, MiniProgramTesters testers,
                              PrivacyGuides privacyGuides, WechatClient client, ConsoleText text) {
        this.access = access;
        this.rollbacks = rollbacks;
        this.testers = testers;
        this.privacyGuides = privacyGuides;
        this.client = client;
        this.text = text;
    }

    @GetMapping("/wechat/mini-programs/{appId}")
    String page(Authentication auth, @PathVariable String appId, Model model) {
        CurrentUser user = CurrentUser.from(auth);
        access.requireViewer(user, appId);
        model.addAttribute("appId", appId);
        model.addAttribute("owner", access.owner(appId).orElse(null));
        model.addAttribute("canChange", access.mayChange(user, appId));
        // Each part asks WeChat on its own: one refusal shows where it happened, the rest of the page still shows.
        section(model, "versions", () -> rollbacks.versions(user, appId));
        section(model, "versionInfo", () -> MiniProgramTesters.call(() -> client.versionInfo(appId)));
        section(model, "testers", () -> testers.list(user, appId));
        section(model, "platformPrivacy", () -> MiniProgramTesters.call(() -> client.getPrivacySetting(appId, 2)));
        model.addAttribute("rollbacks", rollbacks.recent(appId, 10));
        Map<String, Object> privacy = privacyGuides.view(user, appId);
        model.addAttribute("privacy", privacy);
        model.addAttribute("privacyForm", PrivacyForm.of((PrivacyGuide) privacy.get("miniProgramGuide")));
        PrivacyGuide effective = (PrivacyGuide) privacy.get("guide");
        model.addAttribute("privacyContacts", effective == null ? "" : String.join(", ", java.util.stream.Stream.of(
            effective.contactEmail(), effective.contactPhone(), effective.contactQq(), effective.contactWeixin())
            .filter(java.util.Objects::nonNull).toList()));
        return VIEW_PAGE;
    }

    @GetMapping("/wechat/mini-programs/{appId}/qrcode")
    ResponseEntity<byte[]> qrCode(Authentication auth, @PathVariable String appId,
                                  @RequestParam(required = false) String path) {
        return MiniProgramApi.image(testers.qrCode(CurrentUser.from(auth), appId, path));
    }

    @GetMapping("/wechat/mini-programs/{appId}/rollback")
    String confirmRollback(Authentication auth, @PathVariable String appId, @RequestParam Integer appVersion,
                           Model model) {
        CurrentUser user = CurrentUser.from(auth);
        access.requireChanger(user, appId);
        MiniProgramRollbacks.VersionView version = rollbacks.versions(user, appId).stream()
            .filter(v -> v.appVersion() == appVersion).findFirst()
            .orElseThrow(() -> MiniflowException.badRequest("miniProgram.appVersion.unknown", appVersion, appId));
        model.addAttribute("appId", appId);
        model.addAttribute("question", text.of("miniProgram.rollback.confirm", appId, version.userVersion(),
            version.appVersion()));
        model.addAttribute("action", "/wechat/mini-programs/" + appId + "/rollback");
        model.addAttribute("field", "appVersion");
        model.addAttribute("value", appVersion);
        return VIEW_CONFIRM;
    }

    @PostMapping("/wechat/mini-programs/{appId}/rollback")
    String rollBack(Authentication auth, @PathVariable String appId, @RequestParam(required = false) Integer appVersion,
                    RedirectAttributes redirect) {
        try {
            MiniProgramRollbacks.Started started = rollbacks.rollBack(CurrentUser.from(auth), appId, appVersion);
            redirect.addFlashAttribute("message", text.of("miniProgram.rollback.started", appId,
                started.processInstanceId()));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        } catch (WechatApiException e) {
            redirect.addFlashAttribute("error", text.of(MiniProgramTesters.refusal(e)));
        }
        return back(appId);
    }

    @PostMapping("/wechat/mini-programs/{appId}/testers")
    String bind(Authentication auth, @PathVariable String appId, @RequestParam(required = false) String wechatId,
                RedirectAttributes redirect) {
        try {
            testers.bind(CurrentUser.from(auth), appId, wechatId);
            redirect.addFlashAttribute("message", text.of("tester.bound", wechatId));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return back(appId);
    }

    @GetMapping("/wechat/mini-programs/{appId}/testers/{userstr}/unbind")
    String confirmUnbind(Authentication auth, @PathVariable String appId, @PathVariable String userstr, Model model) {
        access.requireChanger(CurrentUser.from(auth), appId);
        model.addAttribute("appId", appId);
        model.addAttribute("question", text.of("tester.unbind.confirm", userstr, appId));
        model.addAttribute("action", "/wechat/mini-programs/" + appId + "/testers/" + userstr + "/unbind");
        return VIEW_CONFIRM;
    }

    @PostMapping("/wechat/mini-programs/{appId}/testers/{userstr}/unbind")
    String unbind(Authentication auth, @PathVariable String appId, @PathVariable String userstr,
                  RedirectAttributes redirect) {
        try {
            testers.unbind(CurrentUser.from(auth), appId, userstr);
            redirect.addFlashAttribute("message", text.of("tester.unbound", userstr));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return back(appId);
    }

    @PostMapping("/wechat/mini-programs/{appId}/privacy-guide")
    String savePrivacyGuide(Authentication auth, @PathVariable String appId, PrivacyForm form,
                            RedirectAttributes redirect) {
        try {
            privacyGuides.saveForMiniProgram(CurrentUser.from(auth), appId, form.toGuide());
            redirect.addFlashAttribute("message", text.of("privacy.saved", appId));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return back(appId);
    }

    @PostMapping("/wechat/mini-programs/{appId}/privacy-guide/remove")
    String removePrivacyGuide(Authentication auth, @PathVariable String appId, RedirectAttributes redirect) {
        try {
            privacyGuides.removeForMiniProgram(CurrentUser.from(auth), appId);
            redirect.addFlashAttribute("message", text.of("privacy.removed", appId));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return back(appId);
    }

    private void section(Model model, String name, java.util.function.Supplier<Object> read) {
        try {
            model.addAttribute(name, read.get());
        } catch (MiniflowException e) {
            model.addAttribute(name + "Error", text.of(e));
        } catch (WechatApiException e) {
            model.addAttribute(name + "Error", text.of(MiniProgramTesters.refusal(e)));
        }
    }

    private static String back(String appId) {
        return "redirect:/wechat/mini-programs/" + appId;
    }

    /**
     * The console's form of a privacy guide: the owner's fields, one data item per line ("Location = to find the
     * nearest shop") and one SDK per line ("name | company | Key = purpose; Key = purpose").
     */
    static class PrivacyForm {
        public String contactEmail;
        public String contactPhone;
        public String contactQq;
        public String contactWeixin;
        public String noticeMethod;
        public String storageDays;
        public String items;
        public String sdks;

        public void setContactEmail(String v) {
            contactEmail = v;
        }

        public void setContactPhone(String v) {
            contactPhone = v;
        }

        public void setContactQq(String v) {
            contactQq = v;
        }

        public void setContactWeixin(String v) {
            contactWeixin = v;
        }

        public void setNoticeMethod(String v) {
            noticeMethod = v;
        }

        public void setStorageDays(String v) {
            storageDays = v;
        }

        public void setItems(String v) {
            items = v;
        }

        public void setSdks(String v) {
            sdks = v;
        }

        static PrivacyForm of(PrivacyGuide guide) {
            PrivacyForm form = new PrivacyForm();
            if (guide == null) {
                return form;
            }
            form.contactEmail = guide.contactEmail();
            form.contactPhone = guide.contactPhone();
            form.contactQq = guide.contactQq();
            form.contactWeixin = guide.contactWeixin();
            form.noticeMethod = guide.noticeMethod();
            form.storageDays = guide.storageDays() == null ? null : guide.storageDays().toString();
            form.items = String.join("\n", guide.items().stream().map(i -> i.privacyKey() + " = " + i.purpose())
                .toList());
            form.sdks = String.join("\n", guide.sdks().stream().map(s -> s.name() + " | " + s.company() + " | "
                + String.join("; ", s.items().stream().map(i -> i.privacyKey() + " = " + i.purpose()).toList()))
                .toList());
            return form;
        }

        PrivacyGuide toGuide() {
            Integer days = null;
            if (storageDays != null && !storageDays.isBlank()) {
                try {
                    days = Integer.valueOf(storageDays.trim());
                } catch (NumberFormatException e) {
                    throw MiniflowException.badRequest("privacy.storageDays.range");
                }
            }
            List<PrivacyGuide.Sdk> sdkList = new ArrayList<>();
            for (String line : lines(sdks)) {
                String[] parts = line.split("\\|", 3);
                if (parts.length != 3) {
                    throw MiniflowException.badRequest("privacy.form.sdkLine", line);
                }
                sdkList.add(new PrivacyGuide.Sdk(parts[0], parts[1], parseItems(List.of(parts[2].split(";")))));
            }
            return new PrivacyGuide(contactEmail, contactPhone, contactQq, contactWeixin, noticeMethod, days,
                parseItems(lines(items)), sdkList);
        }

        private static List<PrivacyGuide.DataItem> parseItems(List<String> lines) {
            List<PrivacyGuide.DataItem> out = new ArrayList<>();
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                int eq = line.indexOf('=');
                if (eq < 0) {
                    throw MiniflowException.badRequest("privacy.form.itemLine", line.trim());
                }
                out.add(new PrivacyGuide.DataItem(line.substring(0, eq), line.substring(eq + 1)));
            }
            return out;
        }

        private static List<String> lines(String text) {
            return text == null ? List.of() : text.lines().filter(l -> !l.isBlank()).toList();
        }
    }
}
