package io.miniflow.shared;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;

import org.springframework.context.MessageSource;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns refusals on /api into RFC 9457 problem documents with the message in both languages,
 * so a script and a person can both read why nothing was changed. What no handler here takes (a 404 without a
 * handler, a 401 from the security filters, an unexpected exception) reaches {@link ApiErrorController} instead.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
@org.springframework.core.annotation.Order(1)
public class ApiErrorHandler {

    private final MessageSource messages;
    private final ProblemDocuments problems;

    public ApiErrorHandler(MessageSource messages, ProblemDocuments problems) {
        this.messages = messages;
        this.problems = problems;
    }

    @ExceptionHandler(MiniflowException.class)
    public ResponseEntity<ProblemDetail> refused(MiniflowException e, HttpServletRequest request) {
        return ProblemDocuments.answer(problems.problem(e.status(), e.messageKey(), e.args(), request));
    }

    @ExceptionHandler(InvalidFields.class)
    ResponseEntity<ProblemDetail> invalidFields(InvalidFields e, HttpServletRequest request) {
        return ProblemDocuments.answer(problems.invalid(e.fields().stream()
            .map(f -> problems.field(f.field(), f.key(), f.args(), request)).toList(), request));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ResponseEntity<ProblemDetail> invalid(MethodArgumentNotValidException e, HttpServletRequest request) {
        List<ProblemDocuments.FieldProblem> fields = e.getBindingResult().getFieldErrors().stream()
            .map(fe -> problems.field(fe.getField(), texts(fe), request))
            .toList();
        return ProblemDocuments.answer(problems.invalid(fields, request));
    }

    /** Constraints on path variables (and then also the body's, which Spring reports here in that case). */
    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<ProblemDetail> invalidParameters(HandlerMethodValidationException e, HttpServletRequest request) {
        onlyForApi(e, request);
        List<ProblemDocuments.FieldProblem> fields = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            if (result instanceof ParameterErrors errors) {
                errors.getFieldErrors().forEach(fe -> fields.add(problems.field(fe.getField(), texts(fe), request)));
                continue;
            }
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                ConstraintViolation<?> violation = unwrap(result, error);
                fields.add(problems.field(name, texts(violation == null ? null : violation.getMessageTemplate(),
                    error), request));
            }
        }
        return ProblemDocuments.answer(problems.invalid(fields, request));
    }

    /**
     * Bodies that are not JSON, or whose values have the wrong type (Jackson coerces nothing, see JsonStrictness):
     * the field is named from Jackson's path, the expected type in words; Jackson's own message is not shown, as it
     * names Java classes.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        ProblemDetail problem = problems.problem(HttpStatus.BAD_REQUEST, "error.body.unreadable", null, request);
        if (e.getCause() instanceof UnrecognizedPropertyException unknown && !unknown.getPath().isEmpty()) {
            // Only bodies that refuse unknown fields get here (the OpenAPI's); the type would be the wrong reason.
            problem.setProperty("errors", List.of(problems.field(path(unknown.getPath()), "error.field.unknown", null,
                request)));
        } else if (e.getCause() instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            problem.setProperty("errors", List.of(problems.field(path(mismatch.getPath()), "error.field.type",
                new Object[] {typeName(mismatch.getTargetType())}, request)));
        }
        return ProblemDocuments.answer(problem);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> wrongParameter(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        onlyForApi(e, request);
        return ProblemDocuments.answer(problems.problem(HttpStatus.BAD_REQUEST, "error.parameter.type",
            new Object[] {e.getName()}, request));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ProblemDetail> missingParameter(MissingServletRequestParameterException e,
                                                   HttpServletRequest request) throws Exception {
        onlyForApi(e, request);
        return ProblemDocuments.answer(problems.problem(HttpStatus.BAD_REQUEST, "error.parameter.missing",
            new Object[] {e.getParameterName()}, request));
    }

    /**
     * The emulators' and callbacks' REST controllers keep Spring's own answers to these (the platforms' clients
     * expect them); rethrowing the exception hands it back to Spring's default resolution.
     */
    private static <E extends Exception> void onlyForApi(E e, HttpServletRequest request) throws E {
        if (!ProblemDocuments.isApi(request.getRequestURI(), request.getContextPath())) {
            throw e;
        }
    }

    private Map<Locale, String> texts(FieldError error) {
        String template = error.contains(ConstraintViolation.class)
            ? error.unwrap(ConstraintViolation.class).getMessageTemplate() : null;
        return texts(template, error);
    }

    /** Resolves the constraint's own message key in each language (the default is already interpolated). */
    private Map<Locale, String> texts(String template, MessageSourceResolvable error) {
        Map<Locale, String> texts = new LinkedHashMap<>();
        for (Locale locale : List.of(Locale.ENGLISH, Locale.SIMPLIFIED_CHINESE)) {
            if (template != null && template.startsWith("{") && template.endsWith("}")) {
                texts.put(locale, messages.getMessage(template.substring(1, template.length() - 1), null,
                    error.getDefaultMessage(), locale));
            } else {
                texts.put(locale, messages.getMessage(error, locale));
            }
        }
        return texts;
    }

    private static ConstraintViolation<?> unwrap(ParameterValidationResult result, MessageSourceResolvable error) {
        try {
            return result.unwrap(error, ConstraintViolation.class);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** "packages[0]" or "grayPlan[1]" from Jackson's reference path. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The expected type in words of each language: resolved as a message argument. */
    private static Object typeName(Class<?> type) {
        String key;
        if (type == null) {
            key = "error.type.value";
        } else if (type == Integer.class || type == int.class || type == Long.class || type == long.class
            || type == Short.class || type == short.class) {
            key = "error.type.integer";
        } else if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            key = "error.type.number";
        } else if (type == Boolean.class || type == boolean.class) {
            key = "error.type.boolean";
        } else if (CharSequence.class.isAssignableFrom(type)) {
            key = "error.type.string";
        } else if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            key = "error.type.list";
        } else {
            key = "error.type.object";
        }
        return new org.springframework.context.support.DefaultMessageSourceResolvable(new String[] {key}, key);
    }
}
