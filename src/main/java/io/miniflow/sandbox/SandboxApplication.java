package io.miniflow.sandbox;

import jakarta.servlet.http.HttpServletRequest;

import java.time.Clock;
import java.util.Arrays;
import java.util.stream.Stream;

import io.micrometer.observation.ObservationPredicate;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The emulators alone, without Miniflow (profile {@code sandbox-only}, e.g. {@code --server.port=8090}), with their
 * own database: a test or a benchmark can stop and restart Miniflow, or measure it apart, while the platforms keep
 * their state. Only the platforms' paths and health are served.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableScheduling
@EnableWebSecurity
public class SandboxApplication {

    private static final IpAddressMatcher IPV4_LOOPBACK = new IpAddressMatcher("127.0.0.0/8");
    private static final IpAddressMatcher IPV6_LOOPBACK = new IpAddressMatcher("::1");

    private static final String[] WECHAT_API_CALLS = {"/sandbox/wechat/cgi-bin/**", "/sandbox/wechat/wxa/**"};

    /** The profile that starts this application instead of Miniflow. */
    private static final String ALONE = "sandbox-only";

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SandboxApplication.class);
        application.setAdditionalProfiles(ALONE);
        application.run(args);
    }

    /** True when the command line or the environment asks for the emulators alone. */
    public static boolean isRequested(String[] args) {
        Stream<String> fromArgs = Arrays.stream(args).filter(a -> a.startsWith("--spring.profiles.active="))
            .map(a -> a.substring(a.indexOf('=') + 1));
        Stream<String> fromEnvironment = Stream.of(System.getProperty("spring.profiles.active"),
            System.getenv("SPRING_PROFILES_ACTIVE"));
        return Stream.concat(fromArgs, fromEnvironment).filter(p -> p != null)
            .flatMap(p -> Arrays.stream(p.split(","))).map(String::trim).anyMatch(ALONE::equals);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * WeChat's API calls, the bulk of the emulators' traffic, check their access tokens themselves and keep no
     * session: they pass without the filters a browser needs (session, saved request, anonymous user, logout, CSRF,
     * headers), which cost more than the emulated call itself.
     */
    @Bean
    @Order(1)
    SecurityFilterChain wechatApiCalls(HttpSecurity http) throws Exception {
        http.securityMatcher(WECHAT_API_CALLS)
            .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
            .csrf(csrf -> csrf.disable())
            .securityContext(context -> context.disable())
            .sessionManagement(session -> session.disable())
            .requestCache(cache -> cache.disable())
            .anonymous(anonymous -> anonymous.disable())
            .logout(logout -> logout.disable())
            .headers(headers -> headers.disable());
        return http.build();
    }

    /**
     * No one reads this application's metrics or traces (only health is served), so it records no observations:
     * timing every call and every security filter was a noticeable part of what an emulated call cost.
     */
    @Bean
    ObservationPredicate noObservations() {
        return (name, context) -> false;
    }

    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The platforms' own paths (each checks its signatures as the real one does) and health; nothing else. The
     * control API hands out the platforms' secrets and pays orders: with no users here, it answers this machine only.
     */
    @Bean
    SecurityFilterChain emulatorsAlone(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                .requestMatchers("/sandbox/admin", "/sandbox/admin/**")
                .access((authentication, context) -> new AuthorizationDecision(fromLoopback(context.getRequest())))
                .requestMatchers("/sandbox/**").permitAll()
                .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                .anyRequest().denyAll())
            .csrf(csrf -> csrf.disable())
            .headers(headers -> headers.referrerPolicy(referrer -> referrer.policy(
                ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN)));
        return http.build();
    }

    private static boolean fromLoopback(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        try {
            return remote != null && (IPV4_LOOPBACK.matches(remote) || IPV6_LOOPBACK.matches(remote));
        } catch (IllegalArgumentException notAnAddress) {
            return false;
        }
    }
}
