package io.miniflow.identity;

import jakarta.servlet.http.HttpServletRequest;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may reach what. Five chains: the emulators' control API (platform admins or the same machine), the
 * platforms' push endpoints and the sandbox (no login, they verify signatures themselves), the OpenAPI (requests
 * signed with a team key; its chain, {@link #OPENAPI_CHAIN_ORDER}, is in io.miniflow.openapi.OpenApiSecurity), the
 * APIs (HTTP Basic or the console session; 401 when anonymous), and the console with the Camunda webapps (form
 * login). Every answer carries a Referrer-Policy; console pages also a Content-Security-Policy without inline
 * script.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class SecurityConfig {

    static final String API_DOCS = "/v3/api-docs";

    /**
     * The OpenAPI's chain comes after the platforms' endpoints and before the APIs. It lives with the OpenAPI, so
     * this configuration (and the web slices that import it) does not need the OpenAPI's beans.
     */
    public static final int OPENAPI_CHAIN_ORDER = 2;

    static final String CAMUNDA_WEBAPPS = "/camunda/**";

    /**
     * Console pages: scripts only from files of our own (static/js, the bpmn-js webjar), data through data-*
     * attributes; no inline script, no event-handler attributes. Style attributes stay allowed because bpmn-js
     * positions its overlays and the diagram's helper elements with them; style elements and sheets from elsewhere
     * do not. img data: is the bpmn.io logo the viewer draws.
     */
    static final String CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
        + "style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** A request that carries HTTP Basic credentials is a script, not a browser form: no CSRF token needed. */
    private static final RequestMatcher BASIC_AUTH_REQUEST = (HttpServletRequest request) -> {
        String header = request.getHeader("Authorization");
        return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
    };

    @Bean
    AuthenticationManager authenticationManager(IdentityService identityService) {
        return new ProviderManager(new CamundaIdentityAuthenticationProvider(identityService));
    }

    /**
     * The emulators' control API hands out the sandbox platforms' secrets and can pay orders: platform admins
     * (HTTP Basic or their console session) and scripts on the same machine only (docs/wechat.md).
     */
    @Bean
    @Order(0)
    SecurityFilterChain sandboxAdmin(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
        BasicAuthenticationEntryPoint basic = basicEntryPoint();
        http.securityMatcher(paths(SandboxAdminAccess.PATHS))
            .authenticationManager(authenticationManager)
            .authorizeHttpRequests(auth -> auth.anyRequest().access(SandboxAdminAccess.platformAdminOrLoopback()))
            .httpBasic(httpBasic -> httpBasic.authenticationEntryPoint(basic))
            .exceptionHandling(ex -> ex.authenticationEntryPoint(basic))
            // Scripts on the machine and admins' scripts carry no CSRF token; an admin's browser session does.
            .csrf(csrf -> csrf.ignoringRequestMatchers(BASIC_AUTH_REQUEST)
                .ignoringRequestMatchers(SandboxAdminAccess.LOOPBACK))
            .requestCache(cache -> cache.disable())
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }

    /**
     * The platforms' pushes ({@link PlatformEndpoints#PUSHES}), ahead of the other platform endpoints; disjoint from
     * the sandbox admin's paths, so sharing its order is safe. Each push verifies its signature itself; nothing
     * here needs a security context, an anonymous user, a session, logout or response headers for browsers.
     */
    @Bean
    @Order(0)
    SecurityFilterChain platformPushes(HttpSecurity http) throws Exception {
        http.securityMatcher(paths(PlatformEndpoints.PUSHES))
            .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
            .csrf(csrf -> csrf.disable())
            .securityContext(context -> context.disable())
            .sessionManagement(session -> session.disable())
            .requestCache(cache -> cache.disable())
            .anonymous(anonymous -> anonymous.disable())
            .logout(logout -> logout.disable())
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }

    /**
     * No observation of each security filter and decision: Miniflow's metrics (docs/operations.md) time whole
     * requests, and timing every filter of every platform push was a visible part of what handling one cost.
     */
    @Bean
    SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    @Order(1)
    SecurityFilterChain platformEndpoints(HttpSecurity http) throws Exception {
        http.securityMatcher(paths(PlatformEndpoints.PATHS))
            .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
            .csrf(csrf -> csrf.disable())
            .requestCache(cache -> cache.disable())
            .securityContext(ctx -> ctx.disable())
            .sessionManagement(session -> session.disable())
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain apis(HttpSecurity http, AuthenticationManager authenticationManager,
                             @Value("${miniflow.security.public-api-docs:false}") boolean publicApiDocs)
            throws Exception {
        BasicAuthenticationEntryPoint basic = basicEntryPoint();
        http.securityMatcher(paths("/api/**", "/engine-rest/**", API_DOCS, API_DOCS + "/**"))
            .authenticationManager(authenticationManager)
            .authorizeHttpRequests(auth -> {
                // The OpenAPI document lists every endpoint: a map for an attacker, so it needs a login unless
                // an installation chooses to publish it (miniflow.security.public-api-docs).
                if (publicApiDocs) {
                    auth.requestMatchers(paths(API_DOCS, API_DOCS + "/**")).permitAll();
                }
                auth.requestMatchers(paths(PlatformEndpoints.SIGNED_API)).permitAll();
                // Repairing jobs (retries, due dates, running or deleting one) is the operators' work. Camunda's
                // authorizations cover jobs of a process only: a job of none (the history cleanup) was open to
                // every user.
                auth.requestMatchers(JOB_CHANGES).hasAnyAuthority(Roles.OPERATOR, Roles.CAMUNDA_ADMIN);
                auth.anyRequest().authenticated();
            })
            .httpBasic(httpBasic -> httpBasic.authenticationEntryPoint(basic))
            .exceptionHandling(ex -> ex.authenticationEntryPoint(basic))
            .csrf(csrf -> csrf.ignoringRequestMatchers(BASIC_AUTH_REQUEST).ignoringRequestMatchers(paths("/engine-rest/**"))
                .ignoringRequestMatchers(paths(PlatformEndpoints.SIGNED_API)))
            .requestCache(cache -> cache.disable())
            .headers(SecurityConfig::referrerPolicy);
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain console(HttpSecurity http, AuthenticationManager authenticationManager) throws Exception {
        http.authenticationManager(authenticationManager)
            .authorizeHttpRequests(auth -> auth
                .requestMatchers("/login", "/css/**", "/js/**", "/img/**", "/webjars/**", "/favicon.ico",
                    "/actuator/health", "/actuator/health/**", "/actuator/info", "/error").permitAll()
                .requestMatchers("/actuator/**").hasAnyAuthority(Roles.OPERATOR, Roles.CAMUNDA_ADMIN)
                // Camunda checks the webapps' own API (/camunda/api/**) against its application authorizations.
                .requestMatchers("/admin", "/camunda/app/admin/**").hasAuthority(Roles.CAMUNDA_ADMIN)
                .anyRequest().authenticated())
            .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
            .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
            // The Camunda webapps protect their own API with their own CSRF token (X-XSRF-TOKEN).
            .csrf(csrf -> csrf.ignoringRequestMatchers(paths("/camunda/**")))
            .exceptionHandling(ex -> ex.authenticationEntryPoint(consoleEntryPoint()))
            .headers(headers -> referrerPolicy(headers)
                // Cockpit, Tasklist and Admin send their own policy (with a nonce for their scripts); a second
                // header would be enforced as well and break them, so ours goes only to Miniflow's pages.
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                    new NegatedRequestMatcher(paths(CAMUNDA_WEBAPPS)),
                    new ContentSecurityPolicyHeaderWriter(CONSOLE_CONTENT_SECURITY_POLICY))));
        return http.build();
    }

    /** Links to outside sites (WeChat's authorization page, bpmn.io) must not carry console URLs with ids. */
    public static HeadersConfigurer<HttpSecurity> referrerPolicy(HeadersConfigurer<HttpSecurity> headers) {
        return headers.referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN));
    }

    private static BasicAuthenticationEntryPoint basicEntryPoint() {
        BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
        basic.setRealmName("Miniflow");
        return basic;
    }

    /** Changes to jobs over /engine-rest; POST /job and /job/count are queries and stay open. */
    private static final RequestMatcher JOB_CHANGES = new OrRequestMatcher(
        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.PUT, "/engine-rest/job/**"),
        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.DELETE, "/engine-rest/job/**"),
        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/engine-rest/job/*/execute"),
        PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/engine-rest/job/retries"));

    /**
     * Path matchers that do not depend on Spring MVC: /engine-rest and /camunda are served by other servlets
     * (Jersey), which MVC-based matching does not see.
     */
    public static RequestMatcher paths(String... patterns) {
        PathPatternRequestMatcher.Builder builder = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(java.util.Arrays.stream(patterns).map(p -> (RequestMatcher) builder.matcher(p))
            .toList());
    }

    /** Browsers go to the login page; the Camunda webapps' own XHR API answers 401 so the apps can react. */
    private static AuthenticationEntryPoint consoleEntryPoint() {
        AuthenticationEntryPoint login = new LoginUrlAuthenticationEntryPoint("/login");
        AuthenticationEntryPoint status = new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED);
        return (request, response, exception) -> {
            boolean webappApi = request.getRequestURI().startsWith(request.getContextPath() + "/camunda/api/");
            (webappApi ? status : login).commence(request, response, exception);
        };
    }

    /** Tells Cockpit, Tasklist and Admin who is logged in (runs after the Spring Security chain). */
    @Bean
    FilterRegistrationBean<ContainerBasedAuthenticationFilter> camundaWebappAuthentication() {
        FilterRegistrationBean<ContainerBasedAuthenticationFilter> registration =
            new FilterRegistrationBean<>(new ContainerBasedAuthenticationFilter());
        registration.addInitParameter("authentication-provider",
            SpringSecurityCamundaAuthenticationProvider.class.getName());
        registration.addUrlPatterns("/camunda/app/*", "/camunda/api/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }

    /** Lets /engine-rest apply Camunda authorizations for the user Spring Security authenticated. */
    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication() {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
            new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.addInitParameter("authentication-provider",
            SpringSecurityCamundaAuthenticationProvider.class.getName());
        registration.addInitParameter("rest-url-pattern-prefix", "");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 100);
        return registration;
    }
}
