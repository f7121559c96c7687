package io.miniflow.shared;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Builds the RFC 9457 problem documents of /api (docs/api.md, "Errors"): a message key resolved in the caller's
 * language as {@code detail}, the same text in both languages for scripts that log either, and field errors. Only
 * message-bundle text goes in: never an exception's own message, which may carry SQL or class names.
 */
@Component
public class ProblemDocuments {

    /** Where the JSON API lives; errors under it are answered as problem documents whatever the client accepts. */
    public static final String API_PREFIX = "/api/";
    /** The OpenAPI that SaaS platforms call: answered the same way. */
    public static final String OPENAPI_PREFIX = "/openapi/";

    private final MessageSource messages;

    public ProblemDocuments(MessageSource messages) {
        this.messages = messages;
    }

    /** One field's refusal: the field's JSON path and its message in the caller's language, English and Chinese. */
    public record FieldProblem(String field, String message, String message_en, String message_zh) {
    }

    public ProblemDetail problem(HttpStatus status, String code, Object[] args, HttpServletRequest request) {
        Locale locale = localeOf(request);
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setTitle(status.getReasonPhrase());
        problem.setDetail(text(code, args, locale));
        if (request != null && request.getRequestURI() != null) {
            problem.setInstance(URI.create(safePath(request.getRequestURI())));
        }
        problem.setProperty("code", code);
        // Kept for clients written against the earlier error bodies (Boot's "message", Miniflow's "message_zh").
        problem.setProperty("message", problem.getDetail());
        problem.setProperty("message_en", text(code, args, Locale.ENGLISH));
        problem.setProperty("message_zh", text(code, args, Locale.SIMPLIFIED_CHINESE));
        return problem;
    }

    public ProblemDetail invalid(List<FieldProblem> fields, HttpServletRequest request) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "error.validation", null, request);
        problem.setProperty("errors", fields);
        return problem;
    }

    /** A field problem from a message key with arguments. */
    public FieldProblem field(String field, String key, Object[] args, HttpServletRequest request) {
        return new FieldProblem(field, text(key, args, localeOf(request)), text(key, args, Locale.ENGLISH),
            text(key, args, Locale.SIMPLIFIED_CHINESE));
    }

    /** A field problem whose text is already resolved per language (Bean Validation messages). */
    public FieldProblem field(String field, Map<Locale, String> texts, HttpServletRequest request) {
        Locale locale = localeOf(request);
        return new FieldProblem(field, texts.get(locale), texts.get(Locale.ENGLISH), texts.get(Locale.SIMPLIFIED_CHINESE));
    }

    public static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        // Set explicitly: content negotiation would otherwise pick text/html or application/json for browsers.
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    public boolean has(String key) {
        return messages.getMessage(key, null, null, Locale.ENGLISH) != null;
    }

    public String text(String key, Object[] args, Locale locale) {
        return messages.getMessage(key, args, key, locale);
    }

    /**
     * zh-CN or English. A request that names no language (no Accept-Language, no console cookie) gets English rather
     * than the server's own default locale, so the answer does not depend on where Miniflow runs.
     */
    public static Locale localeOf(HttpServletRequest request) {
        if (request == null) {
            return Locale.ENGLISH;
        }
        boolean named = request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) != null || request.getParameter("lang") != null
            || (request.getCookies() != null && java.util.Arrays.stream(request.getCookies())
                .anyMatch(c -> "miniflow-lang".equals(c.getName())));
        Locale locale = named ? RequestContextUtils.getLocale(request) : Locale.ENGLISH;
        return "zh".equals(locale.getLanguage()) ? Locale.SIMPLIFIED_CHINESE : Locale.ENGLISH;
    }

    public static boolean isApi(String path, String contextPath) {
        String context = contextPath == null ? "" : contextPath;
        return path != null && (path.startsWith(context + API_PREFIX) || path.startsWith(context + OPENAPI_PREFIX));
    }

    /** The request path as an URI reference; a path that is not one (it was refused for that) is left out. */
    private static String safePath(String path) {
        return path.matches("[A-Za-z0-9/._~%!$&'()*+,;=:@-]*") ? path : "";
    }
}
