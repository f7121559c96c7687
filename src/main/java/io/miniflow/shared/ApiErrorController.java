package io.miniflow.shared;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorViewResolver;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.stereotype.Controller;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.servlet.ModelAndView;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Spring Boot's error controller, except that errors of /api and /openapi requests that no handler answered (401
 * from the security filters, a path the firewall refused, no such endpoint, a wrong method or media type, an
 * unexpected exception) become problem documents too, also for clients that accept text/html. The console keeps
 * Boot's pages.
 */
@Controller
public class ApiErrorController extends BasicErrorController {

    private final ErrorAttributes errorAttributes;
    private final ProblemDocuments problems;
    private final ObjectMapper json;

    public ApiErrorController(ErrorAttributes errorAttributes, ServerProperties server,
                              ObjectProvider<ErrorViewResolver> resolvers, ProblemDocuments problems, ObjectMapper json) {
        super(errorAttributes, server.getError(), resolvers.orderedStream().toList());
        this.errorAttributes = errorAttributes;
        this.problems = problems;
        this.json = json;
    }

    @Override
    public ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) {
        if (!isApi(request)) {
            return super.errorHtml(request, response);
        }
        Map<String, Object> body = body(request);
        response.setStatus((Integer) body.get("status"));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        try {
            json.writeValue(response.getOutputStream(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return null;
    }

    @Override
    public ResponseEntity<Map<String, Object>> error(HttpServletRequest request) {
        if (!isApi(request)) {
            return super.error(request);
        }
        Map<String, Object> body = body(request);
        return ResponseEntity.status((Integer) body.get("status")).contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .body(body);
    }

    private boolean isApi(HttpServletRequest request) {
        return ProblemDocuments.isApi((String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
            request.getContextPath());
    }

    private Map<String, Object> body(HttpServletRequest request) {
        Throwable error = errorAttributes.getError(new ServletWebRequest(request));
        HttpStatus status = error instanceof RequestRejectedException ? HttpStatus.BAD_REQUEST : getStatus(request);
        String code = error instanceof RequestRejectedException ? "error.path.rejected"
            : problems.has("error.http." + status.value()) ? "error.http." + status.value() : "error.http.other";
        ProblemDetail problem = problems.problem(status, code, new Object[] {status.value()}, request);
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        problem.setInstance(null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (uri != null && !(error instanceof RequestRejectedException)) {
            body.put("instance", uri);
        }
        body.putAll(problem.getProperties() == null ? Map.of() : problem.getProperties());
        return body;
    }
}
