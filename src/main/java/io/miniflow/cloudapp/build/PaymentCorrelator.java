package io.miniflow.cloudapp.build;

import java.time.Clock;

import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.payment.PaymentReceived;
import io.miniflow.shared.ProtectedVariables;

import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A verified WeChat Pay notification of a build's order: the order is PAID and the waiting build moves on. A build
 * that is not waiting (it queried the order first, or the order is not a build's) changes nothing more.
 */
@Component
class PaymentCorrelator {

    private static final Logger log = LoggerFactory.getLogger(PaymentCorrelator.class);

    private final EnvironmentBuilds builds;
    private final RuntimeService runtime;
    private final Clock clock;

    PaymentCorrelator(EnvironmentBuilds builds, RuntimeService runtime, Clock clock) {
        this.builds = builds;
        this.runtime = runtime;
        this.clock = clock;
    }

    @EventListener
    void paid(PaymentReceived payment) {
        if (!"SUCCESS".equals(payment.tradeState()) || builds.order(payment.outTradeNo()).isEmpty()) {
            return;
        }
        builds.paid(payment.outTradeNo(), payment.transactionId(), clock.instant());
        int moved = ProtectedVariables.asMiniflow(() -> runtime
            .createMessageCorrelation(BuildVariables.MESSAGE_PAYMENT_RECEIVED)
            .processInstanceVariableEquals(BuildVariables.OUT_TRADE_NO.name(), payment.outTradeNo())
            .correlateAllWithResult().size());
        log.info("payment of order {} notified; {} build(s) moved on", payment.outTradeNo(), moved);
    }
}
