package io.miniflow.identity;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** With the emulators running alone there is no console and no engine: only the platform paths are served. */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@Profile("sandbox-only")
class SandboxOnlySecurityConfig {

    @Bean
    SecurityFilterChain sandboxOnly(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                // No users here: the emulators' control API answers only on this machine (SandboxAdminAccess).
                .requestMatchers(SecurityConfig.paths(SandboxAdminAccess.PATHS)).access(SandboxAdminAccess.loopbackOnly())
                .requestMatchers(SecurityConfig.paths(PlatformEndpoints.PATHS)).permitAll()
                .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .anyRequest().denyAll())
            .csrf(csrf -> csrf.disable())
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }
}
