package io.miniflow.release;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.ReleaseBatchService.BatchView;
import io.miniflow.release.ReleaseBatchService.StartRequest;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** JSON API of WeChat template releases (docs/api.md). */
@RestController
@RequestMapping("/api/wechat/releases")
class ReleaseBatchApiController {

    private final ReleaseBatchService releases;

    ReleaseBatchApiController(ReleaseBatchService releases) {
        this.releases = releases;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> start(Authentication auth, @Valid @RequestBody StartRequest body) {
        ReleaseBatch batch = releases.start(CurrentUser.from(auth), body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("releaseId", batch.id());
        answer.put("processInstanceId", batch.processInstanceId());
        answer.put("statusUrl", "/api/wechat/releases/" + batch.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).header("Location", "/api/wechat/releases/" + batch.id())
            .body(answer);
    }

    @GetMapping
    PageResult<ReleaseBatch> list(Authentication auth, @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size) {
        return releases.list(CurrentUser.from(auth), PageRequest.of(page, size));
    }

    @GetMapping("/{id}")
    BatchView get(Authentication auth, @PathVariable long id, @RequestParam(required = false) String stage,
                  @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                  @RequestParam(required = false) Integer size) {
        return releases.view(CurrentUser.from(auth), id, stage, q, PageRequest.of(page, size));
    }

    @PostMapping("/{id}/pause")
    ReleaseBatch pause(Authentication auth, @PathVariable long id) {
        return releases.pause(CurrentUser.from(auth), id);
    }

    @PostMapping("/{id}/resume")
    ReleaseBatch resume(Authentication auth, @PathVariable long id) {
        return releases.resume(CurrentUser.from(auth), id);
    }

    @PostMapping("/{id}/cancel")
    ReleaseBatch cancel(Authentication auth, @PathVariable long id) {
        return releases.cancel(CurrentUser.from(auth), id);
    }

    @PostMapping("/{id}/retry-failed")
    ResponseEntity<Map<String, Object>> retryFailed(Authentication auth, @PathVariable long id) {
        ReleaseBatch batch = releases.retryFailed(CurrentUser.from(auth), id);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
            .body(Map.of("releaseId", batch.id(), "statusUrl", "/api/wechat/releases/" + batch.id()));
    }

    @PostMapping("/{id}/approve-gray-step")
    Map<String, Object> approveGrayStep(Authentication auth, @PathVariable long id) {
        return Map.of("approved", releases.approveGrayStep(CurrentUser.from(auth), id));
    }

    @PostMapping("/{id}/rollback")
    Map<String, Object> rollBack(Authentication auth, @PathVariable long id,
                                 @Valid @RequestBody(required = false) RollbackRequest body) {
        List<String> started = releases.rollBack(CurrentUser.from(auth), id, body == null ? null : body.appIds());
        return Map.of("rollingBack", started);
    }

    record RollbackRequest(
        @Size(max = ReleaseBatchService.MAX_TARGETS, message = "{release.appIds.size}")
        List<@NotNull(message = "{error.list.nullItem}")
            @Pattern(regexp = ReleaseBatchService.APP_ID_REGEX, message = "{release.appId.pattern}") String> appIds) {
    }
}
