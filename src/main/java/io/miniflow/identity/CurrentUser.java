package io.miniflow.identity;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The person behind the current request, as Spring Security knows them. */
public record CurrentUser(String username, Set<String> groups) {

    public static CurrentUser from(Authentication authentication) {
        Set<String> groups = authentication.getAuthorities().stream()
            .map(GrantedAuthority::getAuthority)
            .collect(Collectors.toUnmodifiableSet());
        return new CurrentUser(authentication.getName(), groups);
    }

    public static CurrentUser get() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()) {
            throw new IllegalStateException("no authenticated user on this thread");
        }
        return from(authentication);
    }

    public boolean has(String group) {
        return groups.contains(group);
    }

    /** Camunda admins and operators see every workspace (operators to repair, admins to administer). */
    public boolean seesAllWorkspaces() {
        return has(Roles.CAMUNDA_ADMIN) || has(Roles.OPERATOR);
    }
}
