package io.miniflow.release;

import java.util.Arrays;
import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.ConsoleText;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.PageRequest;

/**
 * Console pages of WeChat releases: the list with a start form, and one batch with its progress bar, counts per
 * stage, the mini programs' table and the buttons (the page refreshes itself while the batch runs).
 */
@Controller
class ReleaseBatchController {

    private final ReleaseBatchService releases;
    private final ConsoleText text;
    private final PlatformQuotaView quotas;
    private final ServiceChanges services;

    ReleaseBatchController(ReleaseBatchService releases, ConsoleText text, PlatformQuotaView quotas,
                           ServiceChanges services) {
        this.releases = releases;
        this.services = services;
        this.text = text;
        this.quotas = quotas;
    }

    @GetMapping("/wechat")
    String list(Authentication auth, @RequestParam(required = false) Integer page, Model model) {
        model.addAttribute("batches", releases.list(CurrentUser.from(auth), PageRequest.of(page, null)));
        model.addAttribute("quotas", quotas.current(null).orElse(null));
        return "releases/list";
    }

    @PostMapping("/wechat/releases")
    String start(Authentication auth, @RequestParam(required = false) Long templateId,
                 @RequestParam(required = false) String targets, @RequestParam(required = false) String tag,
                 @RequestParam(required = false) String userVersion,
                 @RequestParam(required = false) String userDesc, @RequestParam(required = false) String grayPlan,
                 @RequestParam(required = false) Boolean grayApproval,
                 @RequestParam(required = false) Integer concurrency,
                 @RequestParam(required = false) Integer failureThreshold, RedirectAttributes redirect) {
        try {
            List<String> appIds = targets == null ? List.of() : Arrays.stream(targets.split("[\\s,]+"))
                .filter(s -> !s.isBlank()).toList();
            List<Integer> plan = grayPlan == null || grayPlan.isBlank() ? List.of()
                : Arrays.stream(grayPlan.split("[\\s,]+")).filter(s -> !s.isBlank()).map(Integer::valueOf).toList();
            ReleaseBatch batch = releases.start(CurrentUser.from(auth), new ReleaseBatchService.StartRequest(null,
                templateId, appIds, tag, userVersion, userDesc, plan, grayApproval, concurrency, failureThreshold));
            redirect.addFlashAttribute("message", text.of("releases.started", batch.id()));
            return "redirect:/wechat/releases/" + batch.id();
        } catch (NumberFormatException e) {
            redirect.addFlashAttribute("error", text.of("release.grayPlan"));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/wechat";
    }

    @GetMapping("/wechat/releases/{id}")
    String batch(Authentication auth, @PathVariable long id, @RequestParam(required = false) String stage,
                 @RequestParam(required = false) String q, @RequestParam(required = false) Integer page, Model model) {
        ReleaseBatchService.BatchView view = releases.view(CurrentUser.from(auth), id, stage, q, PageRequest.of(page, 50));
        model.addAttribute("view", view);
        model.addAttribute("suspended",
            services.suspendedAmong(view.items().items().stream().map(ReleaseItem::appId).toList()));
        model.addAttribute("stages", ItemStage.values());
        model.addAttribute("quotas", quotas.current(null).orElse(null));
        return "releases/detail";
    }

    @PostMapping("/wechat/releases/{id}/{action:pause|resume|cancel|retry-failed|rollback|approve-gray-step}")
    String act(Authentication auth, @PathVariable long id, @PathVariable String action, RedirectAttributes redirect) {
        CurrentUser user = CurrentUser.from(auth);
        try {
            switch (action) {
                case "pause" -> releases.pause(user, id);
                case "resume" -> releases.resume(user, id);
                case "cancel" -> releases.cancel(user, id);
                case "approve-gray-step" -> {
                    int approved = releases.approveGrayStep(user, id);
                    redirect.addFlashAttribute("message", text.of("releases.grayApproved", approved));
                    return "redirect:/wechat/releases/" + id;
                }
                case "retry-failed" -> {
                    ReleaseBatch retry = releases.retryFailed(user, id);
                    redirect.addFlashAttribute("message", text.of("releases.started", retry.id()));
                    return "redirect:/wechat/releases/" + retry.id();
                }
                default -> {
                    int count = releases.rollBack(user, id, null).size();
                    redirect.addFlashAttribute("message", text.of("releases.rollingBack", count));
                    return "redirect:/wechat/releases/" + id;
                }
            }
            redirect.addFlashAttribute("message", text.of("releases.changed", id,
                releases.view(user, id, null, null, PageRequest.of(1, 1)).batch().status()));
        } catch (MiniflowException e) {
            redirect.addFlashAttribute("error", text.of(e));
        }
        return "redirect:/wechat/releases/" + id;
    }

}
