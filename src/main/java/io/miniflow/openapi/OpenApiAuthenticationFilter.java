package io.miniflow.openapi;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import io.miniflow.openapi.OpenApiKeyStore.ActiveKey;
import io.miniflow.openapi.OpenApiSignature.Credentials;
import io.miniflow.shared.ProblemDocuments;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Authenticates /openapi requests by their signature (docs/openapi.md) and answers every refusal itself with 401
 * {@code {"code","message"}}: the request goes no further, no nonce is kept and nothing is recorded. The checks run
 * from the cheapest on, and the nonce is stored only once the signature is right, so strangers cannot fill the nonce
 * table. Made by {@link OpenApiSecurity} for the /openapi security chain only; not a bean, so that Spring Boot does
 * not also run it as a servlet filter on every request.
 */
class OpenApiAuthenticationFilter extends OncePerRequestFilter {

    /** Requests further from the server's time are refused; half of what {@link OpenApiNonces} remembers. */
    static final Duration TIMESTAMP_TOLERANCE = Duration.ofSeconds(300);
    /** Bodies are read into memory before anything else can refuse them; the OpenAPI's bodies are small. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** The refusal codes of the contract (issue 13) and the two that come with reading and the rate limit. */
    enum Refusal {
        AUTHORIZATION_MALFORMED(HttpStatus.UNAUTHORIZED),
        TIMESTAMP_EXPIRED(HttpStatus.UNAUTHORIZED),
        APPID_UNKNOWN(HttpStatus.UNAUTHORIZED),
        SIGNATURE_MISMATCH(HttpStatus.UNAUTHORIZED),
        NONCE_REUSED(HttpStatus.UNAUTHORIZED),
        BODY_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE),
        RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS);

        final HttpStatus status;

        Refusal(HttpStatus status) {
            this.status = status;
        }

        String messageKey() {
            return "openapi.refused." + name();
        }
    }

    private static final Logger log = LoggerFactory.getLogger(OpenApiAuthenticationFilter.class);

    private final OpenApiKeyStore keys;
    private final OpenApiKeyService keyService;
    private final OpenApiNonces nonces;
    private final OpenApiRateLimit rateLimit;
    private final ProblemDocuments problems;
    private final ObjectMapper json;
    private final Clock clock;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    OpenApiAuthenticationFilter(OpenApiKeyStore keys, OpenApiKeyService keyService, OpenApiNonces nonces,
                                OpenApiRateLimit rateLimit, ProblemDocuments problems, ObjectMapper json,
                                Clock clock) {
        this.keys = keys;
        this.keyService = keyService;
        this.nonces = nonces;
        this.rateLimit = rateLimit;
        this.problems = problems;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Credentials> parsed = OpenApiSignature.parse(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (parsed.isEmpty()) {
            refuse(request, response, Refusal.AUTHORIZATION_MALFORMED, null);
            return;
        }
        Credentials credentials = parsed.get();
        // Milliseconds, not seconds: with the nonces' millisecond times this leaves no rounding gap for a replay.
        if (Math.abs(clock.millis() - credentials.timestamp() * 1000) > TIMESTAMP_TOLERANCE.toMillis()) {
            refuse(request, response, Refusal.TIMESTAMP_EXPIRED, credentials);
            return;
        }
        Optional<ActiveKey> key = keys.findActive(credentials.appId());
        if (key.isEmpty()) {
            refuse(request, response, Refusal.APPID_UNKNOWN, credentials);
            return;
        }
        if (request.getContentLengthLong() > MAX_BODY_BYTES) {
            refuse(request, response, Refusal.BODY_TOO_LARGE, credentials);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            refuse(request, response, Refusal.BODY_TOO_LARGE, credentials);
            return;
        }
        byte[] stringToSign = OpenApiSignature.stringToSign(request.getMethod(), pathAndQuery(request),
            credentials.timestamp(), credentials.nonce(), body);
        if (!OpenApiSignature.matches(key.get().secret(), stringToSign, credentials.signature())) {
            refuse(request, response, Refusal.SIGNATURE_MISMATCH, credentials);
            return;
        }
        // The appid as stored: MySQL compares it without regard to case, and the rate must not split by spelling.
        String appId = key.get().appId();
        // Before the nonce: a refused request stores nothing, and its client signs a new one anyway.
        if (!rateLimit.tryAcquire(appId)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(OpenApiRateLimit.PERIOD.toSeconds()));
            refuse(request, response, Refusal.RATE_LIMITED, credentials);
            return;
        }
        if (!nonces.firstUse(appId, credentials.nonce())) {
            refuse(request, response, Refusal.NONCE_REUSED, credentials);
            return;
        }
        OpenApiClient client = new OpenApiClient(appId, key.get().workspace());
        keyService.recordUse(client, request.getMethod(), request.getRequestURI());
        SecurityContext context = contexts.createEmptyContext();
        context.setAuthentication(new OpenApiAuthentication(client));
        contexts.setContext(context);
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    /** The path and query exactly as the client sent them: nothing decoded, nothing normalised. */
    static String pathAndQuery(HttpServletRequest request) {
        String query = request.getQueryString();
        return query == null ? request.getRequestURI() : request.getRequestURI() + "?" + query;
    }

    /** For the security chain: should a request reach the authorization check unauthenticated, it is refused alike. */
    AuthenticationEntryPoint entryPoint() {
        return (request, response, exception) -> refuse(request, response, Refusal.AUTHORIZATION_MALFORMED, null);
    }

    /**
     * A problem document like /api's, whose {@code code} is the contract's code; the reason goes to the log with the
     * appid and nonce, never the signature or a secret.
     */
    private void refuse(HttpServletRequest request, HttpServletResponse response, Refusal refusal,
                        Credentials credentials) throws IOException {
        log.info("OpenAPI request {} {} refused: {} {}", request.getMethod(), request.getRequestURI(), refusal,
            credentials == null ? "" : credentials);
        ProblemDetail problem = problems.problem(refusal.status, refusal.messageKey(), null, request);
        problem.setProperty("code", refusal.name());
        response.setStatus(refusal.status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
