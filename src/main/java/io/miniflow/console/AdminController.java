package io.miniflow.console;

import io.miniflow.identity.Roles;

import org.camunda.bpm.engine.IdentityService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** Installation-wide administration: users and their groups (managed in Camunda Admin), links to the webapps. */
@Controller
class AdminController {

    static final String VIEW = "admin";

    private final IdentityService identityService;

    AdminController(IdentityService identityService) {
        this.identityService = identityService;
    }

    @GetMapping("/admin")
    String admin(Model model) {
        model.addAttribute("users", identityService.createUserQuery().orderByUserId().asc().list());
        model.addAttribute("groupsOf", new GroupsOf(identityService));
        model.addAttribute("roles", Roles.WORKSPACE_ROLES);
        return VIEW;
    }

    /** Lets the page list a user's groups without business logic in the template. */
    record GroupsOf(IdentityService identityService) {
        public String of(String userId) {
            return String.join(", ", identityService.createGroupQuery().groupMember(userId).orderByGroupId().asc()
                .list().stream().map(g -> g.getId()).toList());
        }
    }
}
