package io.miniflow.shared;

import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/** A message of the bundles in the language of the current request (console flash messages and errors). */
@Component
public class ConsoleText {

    private final MessageSource messages;

    public ConsoleText(MessageSource messages) {
        this.messages = messages;
    }

    /** The text of {@code key} with its arguments; the key itself when no bundle has it. */
    public String of(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }

    /** The text of a refusal. */
    public String of(MiniflowException refusal) {
        return of(refusal.messageKey(), refusal.args());
    }
}
