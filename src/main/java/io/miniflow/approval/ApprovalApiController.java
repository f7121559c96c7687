package io.miniflow.approval;

import java.util.LinkedHashMap;
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

import io.miniflow.approval.ApprovalService.ApplicationRequest;
import io.miniflow.approval.ApprovalService.ApprovalDetail;
import io.miniflow.identity.CurrentUser;
import io.miniflow.shared.PageRequest;
import io.miniflow.shared.PageResult;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/** JSON API of reviewer approvals (docs/api.md). */
@RestController
@RequestMapping("/api/approvals")
class ApprovalApiController {

    private final ApprovalService approvals;

    ApprovalApiController(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @GetMapping
    PageResult<Approval> list(Authentication auth, @RequestParam(required = false) String status,
                              @RequestParam(required = false) String category,
                              @RequestParam(required = false) String applicant,
                              @RequestParam(required = false) String q,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size) {
        return approvals.list(CurrentUser.from(auth), status, category, applicant, q, PageRequest.of(page, size));
    }

    @GetMapping("/{id}")
    ApprovalDetail get(Authentication auth, @PathVariable long id) {
        return approvals.get(CurrentUser.from(auth), id);
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> apply(Authentication auth, @Valid @RequestBody ApplicationRequest request) {
        Approval approval = approvals.apply(CurrentUser.from(auth), request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("approvalId", approval.id());
        body.put("processInstanceId", approval.processInstanceId());
        body.put("statusUrl", "/api/approvals/" + approval.id());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
    }

    @PostMapping("/{id}/decision")
    ApprovalDetail decide(Authentication auth, @PathVariable long id,
                          @Valid @RequestBody DecisionRequest body) {
        return approvals.decide(CurrentUser.from(auth), id, body.decision(), body.comment());
    }

    @PostMapping("/{id}/withdraw")
    ApprovalDetail withdraw(Authentication auth, @PathVariable long id) {
        return approvals.withdraw(CurrentUser.from(auth), id);
    }

    /** Missing or unknown decisions and a rejection without comment are refused by DecisionRules, with their codes. */
    record DecisionRequest(@Size(max = 16, message = "{approval.decision.size}") String decision,
                           @Size(max = DecisionRules.COMMENT_MAX, message = "{approval.comment.size}") String comment) {
    }
}
