package io.miniflow.shared;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.MessageSource;
import jakarta.validation.ConstraintViolation;

import org.springframework.http.ProblemDetail;
import org.springframework.validation.FieldError;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns refusals on /api into RFC 9457 problem documents with the message in both languages,
 * so a script and a person can both read why nothing was changed.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
@org.springframework.core.annotation.Order(1)
public class ApiErrorHandler {

    private final MessageSource messages;

    public ApiErrorHandler(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler(MiniflowException.class)
    ResponseEntity<ProblemDetail> refused(MiniflowException e) {
        ProblemDetail problem = ProblemDetail.forStatus(e.status());
        problem.setTitle(e.status().getReasonPhrase());
        problem.setDetail(text(e.messageKey(), e.args(), Locale.ENGLISH));
        problem.setProperty("code", e.messageKey());
        problem.setProperty("message_zh", text(e.messageKey(), e.args(), Locale.SIMPLIFIED_CHINESE));
        return ResponseEntity.status(e.status()).body(problem);
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e) {
        ProblemDetail problem = ProblemDetail.forStatus(400);
        problem.setTitle("Bad Request");
        problem.setDetail("The request has invalid fields; nothing was changed.");
        problem.setProperty("code", "error.validation");
        List<Map<String, String>> fields = e.getBindingResult().getFieldErrors().stream()
            .map(fe -> {
                Map<String, String> field = new LinkedHashMap<>();
                field.put("field", fe.getField());
                field.put("message", fieldText(fe, Locale.ENGLISH));
                field.put("message_zh", fieldText(fe, Locale.SIMPLIFIED_CHINESE));
                return field;
            })
            .toList();
        problem.setProperty("errors", fields);
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e) {
        return refused(MiniflowException.badRequest("error.body.unreadable"));
    }

    /** Resolves the constraint's own message key in the given language (the default is already interpolated). */
    private String fieldText(FieldError error, Locale locale) {
        if (error.contains(ConstraintViolation.class)) {
            String template = error.unwrap(ConstraintViolation.class).getMessageTemplate();
            if (template.startsWith("{") && template.endsWith("}")) {
                return messages.getMessage(template.substring(1, template.length() - 1), null,
                    error.getDefaultMessage(), locale);
            }
        }
        return messages.getMessage(error, locale);
    }

    private String text(String key, Object[] args, Locale locale) {
        return messages.getMessage(key, args, key, locale);
    }
}
