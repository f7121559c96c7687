package io.miniflow.openapi;

import java.time.Clock;

import io.miniflow.identity.SecurityConfig;
import io.miniflow.shared.ProblemDocuments;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The security chain of /openapi/**: every request is signed with a team key and checked by
 * {@link OpenApiAuthenticationFilter}, which answers refusals itself (401 JSON with the contract's code). No
 * session, no login, no CSRF token (a browser on another site cannot forge a signature). Ordered before the /api
 * chain ({@link SecurityConfig#OPENAPI_CHAIN_ORDER}).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiSecurity {

    static final String PATHS = "/openapi/**";

    @Bean
    @Order(SecurityConfig.OPENAPI_CHAIN_ORDER)
    SecurityFilterChain openApi(HttpSecurity http, OpenApiKeyStore keys, OpenApiKeyService keyService,
                                OpenApiNonces nonces, OpenApiRateLimit rateLimit, ProblemDocuments problems,
                                ObjectMapper json, Clock clock) throws Exception {
        OpenApiAuthenticationFilter signedRequests = new OpenApiAuthenticationFilter(keys, keyService, nonces,
            rateLimit, problems, json, clock);
        http.securityMatcher(SecurityConfig.paths(PATHS))
            .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
            .addFilterBefore(signedRequests, AuthorizationFilter.class)
            .exceptionHandling(ex -> ex.authenticationEntryPoint(signedRequests.entryPoint()))
            .csrf(csrf -> csrf.disable())
            .anonymous(anonymous -> anonymous.disable())
            .requestCache(cache -> cache.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }
}
