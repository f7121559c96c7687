package io.miniflow.sandbox;

import jakarta.servlet.http.HttpServletRequest;

import java.time.Clock;
import java.util.Arrays;
import java.util.stream.Stream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
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
