package io.miniflow.shared;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractCorrelateMessageCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractPatchVariablesCmd;
import org.camunda.bpm.engine.impl.cmd.AbstractRemoveVariableCmd;
import org.camunda.bpm.engine.impl.cmd.MessageEventReceivedCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceAtActivitiesCmd;
import org.camunda.bpm.engine.impl.cmd.StartProcessInstanceCmd;
import org.camunda.bpm.engine.impl.cmd.SubmitStartFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.delegate.DelegateInvocation;
import org.camunda.bpm.engine.impl.form.handler.SubmitFormVariablesInvocation;
import org.camunda.bpm.engine.impl.history.HistoryLevel;
import org.camunda.bpm.engine.impl.history.event.HistoricVariableUpdateEventEntity;
import org.camunda.bpm.engine.impl.history.event.HistoryEvent;
import org.camunda.bpm.engine.impl.history.event.HistoryEventTypes;
import org.camunda.bpm.engine.impl.history.handler.HistoryEventHandler;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.interceptor.CommandInvocationContext;
import org.camunda.bpm.engine.impl.interceptor.DelegateInterceptor;
import org.springframework.stereotype.Component;

/**
 * Keeps people from writing the variables a process trusts. Each process declares its variables once
 * ({@link Declaration}): who acts ({@code identity}), what it was started with ({@code inputs}) and what its own steps
 * decide ({@code internal}: ids, decisions, outcomes). A write that comes from outside the process (a command issued
 * for an authenticated user: a start, a task completion, a form, the variables endpoints, a message, a modification)
 * is refused when it would set an internal variable, an input after the start, or an identity other than the
 * user's own. Writes by the process itself (delegates, listeners, mappings, the job executor) and by Miniflow's
 * services inside {@link #asMiniflow} pass.
 *
 * <p>Every write of a persisted variable produces a history event, so the check sits there, on one path for all
 * commands. Transient variables produce none; Miniflow never reads a protected name from one (objects are bound by
 * the process instance id, outcomes read from Miniflow's tables), and starting a process at an arbitrary activity is
 * refused here too. The engine must record variable history (level AUDIT or FULL), or it does not start.
 */
@Component
public class ProtectedVariables extends AbstractProcessEnginePlugin {

    /**
     * The variables of one process that people may not write freely, and the messages only Miniflow sends to it
     * (an audit result, a withdrawal checked against the applicant).
     */
    public record Declaration(String processKey, Set<String> identity, Set<String> inputs, Set<String> internal,
                              Set<String> messages) {

        public Declaration {
            identity = Set.copyOf(identity);
            inputs = Set.copyOf(inputs);
            internal = Set.copyOf(internal);
            messages = Set.copyOf(messages);
        }
    }

    private static final ThreadLocal<int[]> MINIFLOW_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final Map<String, Declaration> declarations;
    private final Set<String> miniflowMessages;

    public ProtectedVariables(List<Declaration> declarations) {
        this.declarations = declarations.stream()
            .collect(Collectors.toUnmodifiableMap(Declaration::processKey, Function.identity()));
        this.miniflowMessages = declarations.stream().flatMap(d -> d.messages().stream())
            .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Runs engine commands on behalf of Miniflow itself: the variables it passes come from Miniflow's tables and
     * from the authenticated user as Spring Security knows them, so they may be protected ones.
     */
    public static <T> T asMiniflow(Supplier<T> command) {
        int[] depth = MINIFLOW_DEPTH.get();
        depth[0]++;
        try {
            return command.get();
        } finally {
            depth[0]--;
        }
    }

    public static void asMiniflow(Runnable command) {
        asMiniflow(() -> {
            command.run();
            return null;
        });
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<HistoryEventHandler> handlers = configuration.getCustomHistoryEventHandlers() == null
            ? new ArrayList<>() : new ArrayList<>(configuration.getCustomHistoryEventHandlers());
        handlers.add(new WriteCheck());
        configuration.setCustomHistoryEventHandlers(handlers);
        // After the command context exists, so the check knows the authenticated user and the enclosing execution.
        List<CommandInterceptor> interceptors = configuration.getCustomPostCommandInterceptorsTxRequired() == null
            ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPostCommandInterceptorsTxRequired());
        interceptors.add(new CommandCheck());
        configuration.setCustomPostCommandInterceptorsTxRequired(interceptors);
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        configuration.setDelegateInterceptor(new ProcessCode(configuration.getDelegateInterceptor()));
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine engine) {
        HistoryLevel level = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration())
            .getHistoryLevel();
        if (!level.isHistoryEventProduced(HistoryEventTypes.VARIABLE_INSTANCE_UPDATE, null)) {
            throw new IllegalStateException("Miniflow checks variable writes through history events: history level "
                + level.getName() + " records none (use audit or full)");
        }
    }

    /** True when the write in progress is the process's own or Miniflow's, not a person's. */
    private static boolean writtenByMiniflowOrTheProcess() {
        if (MINIFLOW_DEPTH.get()[0] > 0 || Context.getBpmnExecutionContext() != null
            || Context.getJobExecutorContext() != null) {
            return true;
        }
        CommandContext commandContext = Context.getCommandContext();
        // Every person reaches the engine authenticated (REST, webapps, the console's EngineUser); without one it is
        // Miniflow itself, e.g. the WeChat push correlating an audit result.
        return commandContext == null || commandContext.getAuthenticatedUserId() == null;
    }

    private static Command<?> currentCommand() {
        CommandInvocationContext invocation = Context.getCommandInvocationContext();
        return invocation == null ? null : invocation.getCommand();
    }

    /** Engine errors reach Tasklist and /engine-rest without a locale: said in English and Chinese. */
    private static AuthorizationException refusal(String variable, String processKey, String english, String chinese) {
        return new AuthorizationException("Variable '" + variable + "' of " + processKey + " " + english
            + " / 流程 " + processKey + " 的变量 '" + variable + "' " + chinese);
    }

    /** Sees every persisted variable write as it happens, inside the writing command. */
    private final class WriteCheck implements HistoryEventHandler {

        @Override
        public void handleEvent(HistoryEvent event) {
            if (!(event instanceof HistoricVariableUpdateEventEntity write)) {
                return;
            }
            Declaration declaration = declarations.get(write.getProcessDefinitionKey());
            if (declaration == null || writtenByMiniflowOrTheProcess()) {
                return;
            }
            String name = write.getVariableName();
            boolean identity = declaration.identity().contains(name);
            boolean input = declaration.inputs().contains(name);
            boolean internal = declaration.internal().contains(name);
            if (!identity && !input && !internal) {
                return;
            }
            Command<?> command = currentCommand();
            String type = write.getEventType();
            if (HistoryEventTypes.VARIABLE_INSTANCE_DELETE.getEventName().equals(type)) {
                // Variables also go when their scope ends (a cancelled instance); only an explicit removal is a write.
                if (command instanceof AbstractRemoveVariableCmd || command instanceof AbstractPatchVariablesCmd) {
                    throw refusal(name, declaration.processKey(), "cannot be removed", "不能删除");
                }
                return;
            }
            if (!HistoryEventTypes.VARIABLE_INSTANCE_CREATE.getEventName().equals(type)
                && !HistoryEventTypes.VARIABLE_INSTANCE_UPDATE.getEventName().equals(type)) {
                return;
            }
            if (identity) {
                String user = Context.getCommandContext().getAuthenticatedUserId();
                if (user.equals(write.getTextValue())) {
                    return;
                }
                throw refusal(name, declaration.processKey(),
                    "is the authenticated user and cannot name anyone else",
                    "只能是当前登录用户,不能指定他人");
            }
            if (input && isStart(command)) {
                return;
            }
            if (input) {
                throw refusal(name, declaration.processKey(),
                    "is given when the process starts and cannot be changed later", "只能在流程启动时提供,之后不能修改");
            }
            throw refusal(name, declaration.processKey(), "is set by Miniflow only", "只能由 Miniflow 设置");
        }

        @Override
        public void handleEvents(List<HistoryEvent> events) {
            events.forEach(this::handleEvent);
        }

        private static boolean isStart(Command<?> command) {
            return command instanceof StartProcessInstanceCmd || command instanceof SubmitStartFormCmd;
        }
    }

    /**
     * Commands a person may not issue at all: starting a process at an inner activity (that would skip the checks
     * and approvals before it) and sending a message that only Miniflow sends.
     */
    private final class CommandCheck extends CommandInterceptor {

        @Override
        public <T> T execute(Command<T> command) {
            if (!writtenByMiniflowOrTheProcess()) {
                if (command instanceof StartProcessInstanceAtActivitiesCmd) {
                    throw new AuthorizationException("Processes start at their start event only / 流程只能从开始事件启动");
                }
                String message = messageOf(command);
                if (message != null && miniflowMessages.contains(message)) {
                    throw new AuthorizationException("Message '" + message + "' is sent by Miniflow only / 消息 '"
                        + message + "' 只能由 Miniflow 发送");
                }
            }
            return next.execute(command);
        }

        /** The message a correlation carries; the engine keeps it in a protected field of its commands. */
        private static String messageOf(Command<?> command) {
            Class<?> type = command.getClass();
            if (!(command instanceof AbstractCorrelateMessageCmd) && !(command instanceof MessageEventReceivedCmd)) {
                return null;
            }
            try {
                Class<?> owner = command instanceof AbstractCorrelateMessageCmd
                    ? AbstractCorrelateMessageCmd.class : type;
                Field field = owner.getDeclaredField("messageName");
                field.setAccessible(true);
                return (String) field.get(command);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read the message of " + type.getName(), e);
            }
        }
    }

    /** Marks the invocation of delegates, listeners and expressions as the process's own code. */
    private static final class ProcessCode implements DelegateInterceptor {

        private final DelegateInterceptor engineDefault;

        ProcessCode(DelegateInterceptor engineDefault) {
            this.engineDefault = engineDefault;
        }

        @Override
        public void handleInvocation(DelegateInvocation invocation) throws Exception {
            if (invocation instanceof SubmitFormVariablesInvocation) {
                // A submitted form carries what the person typed: checked like any other variables they send.
                engineDefault.handleInvocation(invocation);
                return;
            }
            int[] depth = MINIFLOW_DEPTH.get();
            depth[0]++;
            try {
                engineDefault.handleInvocation(invocation);
            } finally {
                depth[0]--;
            }
        }
    }
}
