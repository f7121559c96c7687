package io.miniflow.wechat;

import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.miniflow.shared.ApiErrorHandler;
import jakarta.servlet.http.HttpServletRequest;

/**
 * A WeChat refusal that reaches /api (a call made while answering a request, such as the versions of a mini
 * program) is answered like any refusal: a problem document with the translated message, 422 when the platform
 * refused, 503 when trying again later may help; never a 500.
 */
@RestControllerAdvice(annotations = org.springframework.web.bind.annotation.RestController.class)
@org.springframework.core.annotation.Order(1)
class WechatApiRefusals {

    private final ApiErrorHandler problems;

    WechatApiRefusals(ApiErrorHandler problems) {
        this.problems = problems;
    }

    @ExceptionHandler(WechatApiException.class)
    ResponseEntity<ProblemDetail> refused(WechatApiException e, HttpServletRequest request) {
        return problems.refused(MiniProgramTesters.refusal(e), request);
    }
}
