package io.miniflow.cloudapp.build;

import static io.miniflow.shared.ProcessVariable.flag;
import static io.miniflow.shared.ProcessVariable.id;
import static io.miniflow.shared.ProcessVariable.text;

import io.miniflow.shared.ProcessVariable;

/**
 * The variables of {@code environment-build}, declared once with their types; the names are those of the model and
 * its history. Miniflow starts the process and writes every one of them (BuildConfig): no person sets any.
 */
public final class BuildVariables {

    public static final String PROCESS_KEY = "environment-build";
    /** WeChat Pay notified the order's payment (through /payments/wechatpay/notify). */
    public static final String MESSAGE_PAYMENT_RECEIVED = "environment-payment-received";
    /** An operator gave the build up: what was bought is released and the order refunded. */
    public static final String MESSAGE_GIVE_UP = "environment-build-give-up";

    public static final ProcessVariable<String> WORKSPACE = text("workspace");
    public static final ProcessVariable<Long> BUILD_ID = id("buildId");
    public static final ProcessVariable<String> CLOUD_APP = text("cloudApp");
    /** test or prod. */
    public static final ProcessVariable<String> ENV = text("env");
    /** STARTER or STANDARD: the gateway after the servers compares it as text. */
    public static final ProcessVariable<String> PLAN = text("plan");
    public static final ProcessVariable<String> OUT_TRADE_NO = text("outTradeNo");
    public static final ProcessVariable<Boolean> ORDER_PAID = flag("orderPaid");
    public static final ProcessVariable<Boolean> INSTANCES_RUNNING = flag("instancesRunning");
    /** The Cloud Assistant invocation that installs MySQL (starter plan). */
    public static final ProcessVariable<String> INVOCATION_ID = text("invocationId");
    public static final ProcessVariable<Boolean> COMMAND_DONE = flag("commandDone");
    public static final ProcessVariable<Boolean> DATABASE_RUNNING = flag("databaseRunning");

    private BuildVariables() {
    }
}
