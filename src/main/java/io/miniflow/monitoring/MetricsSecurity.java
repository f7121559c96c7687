package io.miniflow.monitoring;

import io.miniflow.identity.Roles;
import io.miniflow.identity.SecurityConfig;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;

/**
 * The security chain of the metrics endpoints: Prometheus scrapes with an operator's credentials over HTTP Basic, so
 * no session, no login page and no CSRF token; operators and Camunda admins only (401 without credentials, 403 for
 * other roles). /actuator/health stays in the console's chain: public, with details for people logged in.
 */
@Configuration(proxyBeanMethods = false)
class MetricsSecurity {

    static final String[] PATHS = {"/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/**"};

    /** Before the console's chain (4), which takes every request left; no other chain matches these paths. */
    static final int ORDER = 3;

    @Bean
    @Order(ORDER)
    SecurityFilterChain metrics(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("Miniflow");
        http.securityMatcher(SecurityConfig.paths(PATHS))
            .authenticationManager(authenticationManager)
            .authorizeHttpRequests(auth -> auth.anyRequest().hasAnyAuthority(Roles.OPERATOR, Roles.CAMUNDA_ADMIN))
            .httpBasic(httpBasic -> httpBasic.authenticationEntryPoint(basic))
            .exceptionHandling(ex -> ex.authenticationEntryPoint(basic))
            .csrf(csrf -> csrf.disable())
            .requestCache(cache -> cache.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }
}
