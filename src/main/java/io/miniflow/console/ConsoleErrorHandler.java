package io.miniflow.console;

import io.miniflow.shared.MiniflowException;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Shows a refusal on the console as a page in the user's language, with the right HTTP status. */
@ControllerAdvice(annotations = Controller.class)
@Order(2)
class ConsoleErrorHandler {

    static final String VIEW = "error/refused";

    private final MessageSource messages;

    ConsoleErrorHandler(MessageSource messages) {
        this.messages = messages;
    }

    @ExceptionHandler(MiniflowException.class)
    String refused(MiniflowException e, HttpServletResponse response, Model model) {
        response.setStatus(e.status().value());
        model.addAttribute("status", e.status().value());
        model.addAttribute("reason",
            messages.getMessage(e.messageKey(), e.args(), e.messageKey(), LocaleContextHolder.getLocale()));
        return VIEW;
    }
}
