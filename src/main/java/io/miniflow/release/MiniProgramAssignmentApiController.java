package io.miniflow.release;

import java.util.List;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramAssignments.AssignmentsView;
import io.miniflow.shared.PageRequest;
import io.miniflow.workspace.MemberMiniPrograms.Assignment;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of the mini programs a member is assigned to (docs/api.md "Members assigned to mini programs"). */
@RestController
class MiniProgramAssignmentApiController {

    private static final String PATH = "/api/workspaces/{workspace}/members/{username}/mini-programs";

    private final MiniProgramAssignments assignments;

    MiniProgramAssignmentApiController(MiniProgramAssignments assignments) {
        this.assignments = assignments;
    }

    @GetMapping(PATH)
    AssignmentPage list(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                        @RequestParam(required = false) String q, @RequestParam(required = false) Integer page,
                        @RequestParam(required = false) Integer size) {
        return AssignmentPage.of(assignments.view(CurrentUser.from(auth), workspace, username, q,
            PageRequest.of(page, size)));
    }

    /** The whole set: what is not listed is unassigned; an empty list leaves the member unassigned. */
    @PutMapping(PATH)
    Assigned replace(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                     @RequestBody AppIds body) {
        return new Assigned(username, assignments.replace(CurrentUser.from(auth), workspace, username, body.appIds()));
    }

    @PostMapping(PATH)
    Assigned add(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                 @RequestBody AppIds body) {
        return new Assigned(username, assignments.add(CurrentUser.from(auth), workspace, username, body.appIds()));
    }

    @DeleteMapping(PATH + "/{appId}")
    ResponseEntity<Void> remove(Authentication auth, @PathVariable String workspace, @PathVariable String username,
                                @PathVariable String appId) {
        assignments.remove(CurrentUser.from(auth), workspace, username, appId);
        return ResponseEntity.noContent().build();
    }

    record AppIds(List<String> appIds) {
    }

    record Assigned(String username, List<String> appIds) {
    }

    record AssignmentPage(String workspace, String username, boolean miniProgramAdmin, boolean unassigned,
                          List<Assignment> items,
                          int page, int size, long total) {

        static AssignmentPage of(AssignmentsView view) {
            return new AssignmentPage(view.workspace(), view.member().username(), view.miniProgramAdmin(),
                view.unassigned(), view.assignments().items(),
                view.assignments().page(), view.assignments().request().size(), view.assignments().total());
        }
    }
}
