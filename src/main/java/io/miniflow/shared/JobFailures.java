package io.miniflow.shared;

import java.util.Locale;

import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.DefaultJobRetryCmd;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * How a job that failed on an outside platform is recorded and tried again. Its exception message, which Cockpit
 * shows on the job and on its incident, becomes the message people read, in zh-CN and English, followed by the
 * platform's own words (code, API, request id). A refusal that waiting cannot change (a {@link PlatformFailure} that
 * is not retryable, e.g. WeChat's 85013) raises its incident at once instead of running through the retry cycle:
 * an operator fixes the cause and retries the job (Cockpit, or its REST API). Everything else keeps the engine's
 * retry cycle of the step.
 */
@Component
class JobFailures extends AbstractProcessEnginePlugin {

    private final MessageSource messages;

    JobFailures(MessageSource messages) {
        this.messages = messages;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setFailedJobCommandFactory(this::retryCommand);
    }

    private Command<Object> retryCommand(String jobId, Throwable exception) {
        PlatformFailure failure = platformFailure(exception);
        if (failure == null) {
            return new DefaultJobRetryCmd(jobId, exception);
        }
        return new PlatformRetryCmd(jobId, new TranslatedFailure(text(failure, exception), exception),
            !failure.retryable());
    }

    /** The platform's failure in the exception's causes, or null. */
    static PlatformFailure platformFailure(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PlatformFailure failure) {
                return failure;
            }
        }
        return null;
    }

    private String text(PlatformFailure failure, Throwable exception) {
        String zh = messages.getMessage(failure.messageKey(), failure.messageArgs(), failure.messageKey(),
            Locale.SIMPLIFIED_CHINESE);
        String en = messages.getMessage(failure.messageKey(), failure.messageArgs(), failure.messageKey(),
            Locale.ENGLISH);
        return zh + " / " + en + " [" + ((Throwable) failure).getMessage() + "]";
    }

    /** The job's exception as people read it; the platform's exception is its cause, in the stack trace. */
    static final class TranslatedFailure extends RuntimeException {

        TranslatedFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The engine's retry, except that a refusal ends the retries now: its incident is raised at once. */
    private static final class PlatformRetryCmd extends DefaultJobRetryCmd {

        private final boolean refusal;

        PlatformRetryCmd(String jobId, Throwable exception, boolean refusal) {
            super(jobId, exception);
            this.refusal = refusal;
        }

        @Override
        public Object execute(CommandContext commandContext) {
            if (!refusal) {
                return super.execute(commandContext);
            }
            JobEntity job = getJob();
            if (job != null) {
                job.setRetries(1); // the standard strategy takes the last one: retries 0 and the incident
            }
            executeStandardStrategy(commandContext);
            return null;
        }
    }
}
