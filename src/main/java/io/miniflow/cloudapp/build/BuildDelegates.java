package io.miniflow.cloudapp.build;

import static io.miniflow.cloudapp.build.BuildVariables.*;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.miniflow.cloud.CloudErrors;
import io.miniflow.cloud.ComputePort;
import io.miniflow.cloud.DatabasePort;
import io.miniflow.cloud.DnsPort;
import io.miniflow.cloud.LoadBalancerPort;
import io.miniflow.cloudapp.BuildTicket;
import io.miniflow.cloudapp.CloudOrder;
import io.miniflow.cloudapp.CloudResource;
import io.miniflow.cloudapp.DatabaseKind;
import io.miniflow.cloudapp.EnvName;
import io.miniflow.cloudapp.EnvironmentBuilds;
import io.miniflow.cloudapp.OrderStatus;
import io.miniflow.cloudapp.ResourceKind;
import io.miniflow.payment.PaymentPort;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The steps of environment-build, one bean each under the name the model uses. Every call that creates something
 * carries an idempotency key derived from the build and the step (ClientToken, out_trade_no, out_refund_no), and
 * every resource is recorded the moment its id is known, so a retried job or a give-up finds what exists.
 */
@Configuration(proxyBeanMethods = false)
class BuildDelegates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DATABASE = "app";
    private static final String ACCOUNT = "app";

    static IdempotencyKey key(BuildTicket ticket, String step) {
        return IdempotencyKey.of("environment-build-" + ticket.buildId(), step);
    }

    /** Task_CreatePaymentOrder: a native order whose code the customer scans (its out_trade_no comes from the build). */
    @Bean
    JavaDelegate createPaymentOrder(BuildSteps steps, PaymentPort payments) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            PaymentPort.NativeOrder order = payments.createNativeOrder(new PaymentPort.OrderRequest(key(t, "order"),
                "Miniflow " + t.plan() + " " + t.app() + " " + t.env().code() + ", " + t.months() + " months",
                t.amountFen(), "build:" + t.buildId(), t.outTradeNo()));
            if (order.codeUrl() != null) {
                steps.builds().codeUrl(t.outTradeNo(), order.codeUrl());
            }
            steps.done(t, "order", "order " + t.outTradeNo() + " of " + t.amountFen() + " fen"
                + (order.alreadyPaid() ? ", paid already" : ", waiting for the payment"));
        };
    }

    /** Task_QueryOrder: the fallback when no notification came. */
    @Bean
    JavaDelegate queryPaymentOrder(BuildSteps steps, PaymentPort payments, Clock clock) {
        return execution -> ORDER_PAID.set(execution, paidAtPlatform(steps, payments, clock,
            steps.ticket(execution)));
    }

    /** Task_CloseOrder: the deadline passed; unless it was paid at the last moment, the order is closed. */
    @Bean
    JavaDelegate closePaymentOrder(BuildSteps steps, PaymentPort payments, Clock clock) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            if (paidAtPlatform(steps, payments, clock, t)) {
                ORDER_PAID.set(execution, true);
                return;
            }
            payments.closeOrder(t.outTradeNo());
            steps.builds().closedUnpaid(t.buildId());
            steps.done(t, "order", "not paid in time: order closed, the environment is NOT_BUILT again");
            ORDER_PAID.set(execution, false);
        };
    }

    /** Task_RecordPayment: notified or queried, the order is PAID from here on. */
    @Bean
    JavaDelegate recordPayment(BuildSteps steps, PaymentPort payments, Clock clock) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            CloudOrder order = steps.builds().order(t.outTradeNo()).orElseThrow();
            if (order.status() != OrderStatus.PAID && !paidAtPlatform(steps, payments, clock, t)) {
                throw new IllegalStateException("order " + t.outTradeNo() + " is not paid at the platform");
            }
            steps.done(t, "payment", "paid");
        };
    }

    /** Task_RunInstances: the plan's servers, bought once (ClientToken); out of stock is a business outcome. */
    @Bean
    JavaDelegate runInstances(BuildSteps steps, ComputePort compute, CloudNetwork network) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            List<String> ids = outOfStockIsAnOutcome(steps, t, "servers", () -> compute.runInstances(
                new ComputePort.InstanceSpec(network.zoneId(), network.imageId(), t.spec().instanceType(),
                    network.securityGroupId(), network.vSwitchId(), t.app() + "-" + t.env().code(),
                    t.spec().instanceCount(), network.internetBandwidthOut(), Map.of("miniflow-app", t.app(),
                        "miniflow-env", t.env().code(), "miniflow-build", String.valueOf(t.buildId()))),
                key(t, "servers")));
            ids.forEach(id -> steps.builds().instance(t.buildId(), id, null));
            steps.done(t, "servers", String.join(", ", ids) + " (" + t.spec().instanceType() + ")");
        };
    }

    /** Task_CheckInstances: records each server's address; all running moves on. */
    @Bean
    JavaDelegate checkInstances(BuildSteps steps, ComputePort compute) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            List<ComputePort.Instance> instances = compute.describeInstances(ids(steps, t, ResourceKind.ECS_INSTANCE));
            for (ComputePort.Instance i : instances) {
                String ip = i.publicIp() != null ? i.publicIp() : i.privateIp();
                if (ip != null) {
                    steps.builds().instance(t.buildId(), i.instanceId(), ip);
                }
            }
            boolean running = !instances.isEmpty()
                && instances.stream().allMatch(i -> i.status() == ComputePort.InstanceStatus.RUNNING);
            INSTANCES_RUNNING.set(execution, running);
            if (running) {
                steps.done(t, "servers running", instances.size() + " running");
            }
        };
    }

    /**
     * Task_InstallMysql (starter): MySQL on the server through Cloud Assistant, with the generated password, and in
     * prod the certificate for nginx. The same invocation again on a retry (its key).
     */
    @Bean
    JavaDelegate installMysql(BuildSteps steps, ComputePort compute) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            List<CloudResource> servers = resources(steps, t, ResourceKind.ECS_INSTANCE);
            CloudResource server = servers.get(0);
            String password = steps.builds().databasePassword(t.buildId()).orElseGet(BuildDelegates::newPassword);
            // Recorded first: a retry after a lost answer installs with the same password.
            steps.builds().database(t.buildId(), DatabaseKind.ECS_MYSQL, server.resourceId(), "127.0.0.1", 3306,
                DATABASE, ACCOUNT, password);
            StringBuilder script = new StringBuilder(ServerScripts.installMysql(DATABASE, ACCOUNT, password));
            if (t.env() == EnvName.PROD) {
                script.append(ServerScripts.installCertificate(t.domain(),
                    steps.builds().certificate(t.buildId()).orElseThrow().certificatePem(),
                    steps.builds().privateKey(t.buildId()).orElseThrow(), t.runtime().port()));
            }
            String invocation = compute.runCommand(List.of(server.resourceId()), script.toString(), key(t, "mysql"));
            INVOCATION_ID.set(execution, invocation);
            steps.done(t, "mysql", "installing on " + server.resourceId() + " (invocation " + invocation + ")");
        };
    }

    /** Task_CheckCommand: a failed installation stops here with its output, for an operator (retry or give up). */
    @Bean
    JavaDelegate checkCommand(BuildSteps steps, ComputePort compute) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            List<ComputePort.CommandResult> results = compute.commandResults(INVOCATION_ID.from(execution));
            for (ComputePort.CommandResult r : results) {
                if (r.status() == ComputePort.CommandStatus.FAILED) {
                    throw new IllegalStateException("the installation failed on " + r.instanceId() + " (exit code "
                        + r.exitCode() + "): " + r.output());
                }
            }
            boolean done = !results.isEmpty()
                && results.stream().allMatch(r -> r.status() == ComputePort.CommandStatus.SUCCESS);
            COMMAND_DONE.set(execution, done);
            if (done) {
                steps.done(t, "mysql installed", "MySQL runs on the server");
            }
        };
    }

    /** Task_CreateDatabase (standard): an RDS MySQL instance, bought once (ClientToken). */
    @Bean
    JavaDelegate createRdsInstance(BuildSteps steps, DatabasePort databases, CloudNetwork network) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            DatabasePort.DatabaseInstance rds = outOfStockIsAnOutcome(steps, t, "database",
                () -> databases.createInstance(new DatabasePort.InstanceSpec(network.zoneId(),
                    network.rdsEngineVersion(), network.rdsInstanceClass(), network.rdsStorageGb(), network.vpcId(),
                    network.vSwitchId(), t.app() + "-" + t.env().code(), network.rdsSecurityIps()), key(t, "rds")));
            steps.builds().rdsInstance(t.buildId(), rds.instanceId(), rds.connectionString());
            steps.done(t, "database", rds.instanceId() + " (" + network.rdsInstanceClass() + ")");
        };
    }

    /** Task_CheckDatabase. */
    @Bean
    JavaDelegate checkRdsInstance(BuildSteps steps, DatabasePort databases) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            DatabasePort.DatabaseInstance rds = databases.describe(ids(steps, t, ResourceKind.RDS_INSTANCE).get(0));
            if (rds.connectionString() != null) {
                steps.builds().rdsInstance(t.buildId(), rds.instanceId(), rds.connectionString());
            }
            DATABASE_RUNNING.set(execution, rds.status() == DatabasePort.Status.RUNNING);
        };
    }

    /** Task_PrepareDatabase: the app's database and its account (the password recorded before it is used). */
    @Bean
    JavaDelegate prepareRdsDatabase(BuildSteps steps, DatabasePort databases) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            DatabasePort.DatabaseInstance rds = databases.describe(ids(steps, t, ResourceKind.RDS_INSTANCE).get(0));
            String password = steps.builds().databasePassword(t.buildId()).orElseGet(BuildDelegates::newPassword);
            steps.builds().database(t.buildId(), DatabaseKind.RDS, rds.instanceId(), rds.connectionString(),
                rds.port(), DATABASE, ACCOUNT, password);
            databases.ensureDatabase(rds.instanceId(), DATABASE, "utf8mb4");
            databases.ensureAccount(rds.instanceId(), ACCOUNT, password, DATABASE, DatabasePort.Privilege.READ_WRITE);
            steps.done(t, "database ready", DATABASE + " on " + rds.connectionString());
        };
    }

    /**
     * Task_CreateLoadBalancer (standard): the load balancer, both servers at weight 100, HTTP on 80 and, in prod,
     * HTTPS on 443 with the uploaded certificate (uploaded once: its id is recorded).
     */
    @Bean
    JavaDelegate createLoadBalancer(BuildSteps steps, LoadBalancerPort loadBalancers) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            LoadBalancerPort.LoadBalancer lb = loadBalancers.createLoadBalancer(t.app() + "-" + t.env().code(), true,
                key(t, "slb"));
            steps.builds().loadBalancer(t.buildId(), lb.loadBalancerId(), lb.address());
            List<String> servers = ids(steps, t, ResourceKind.ECS_INSTANCE);
            List<String> attached = loadBalancers.describe(lb.loadBalancerId()).backends().stream()
                .map(LoadBalancerPort.Backend::instanceId).toList();
            List<LoadBalancerPort.Backend> missing = servers.stream().filter(id -> !attached.contains(id))
                .map(id -> new LoadBalancerPort.Backend(id, 100)).toList();
            if (!missing.isEmpty()) {
                loadBalancers.addBackendServers(lb.loadBalancerId(), missing);
            }
            servers.forEach(id -> steps.builds().backendWeight(t.buildId(), id, 100));
            loadBalancers.ensureHttpListener(lb.loadBalancerId(), 80, t.runtime().port());
            if (t.env() == EnvName.PROD) {
                List<String> uploaded = ids(steps, t, ResourceKind.SERVER_CERTIFICATE);
                String certificateId = uploaded.isEmpty() ? loadBalancers.uploadCertificate(t.app() + "-prod-"
                        + t.buildId(), steps.builds().certificate(t.buildId()).orElseThrow().certificatePem(),
                    steps.builds().privateKey(t.buildId()).orElseThrow()) : uploaded.get(0);
                steps.builds().serverCertificate(t.buildId(), certificateId);
                loadBalancers.ensureHttpsListener(lb.loadBalancerId(), 443, t.runtime().port(), certificateId);
            }
            steps.done(t, "load balancer", lb.loadBalancerId() + " at " + lb.address());
        };
    }

    /**
     * Task_ResolveDomain: a test environment's automatic domain gets its A record; a prod domain is the customer's,
     * who points it at the address shown.
     */
    @Bean
    JavaDelegate resolveDomain(BuildSteps steps, DnsPort dns) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            List<CloudResource> lbs = resources(steps, t, ResourceKind.LOAD_BALANCER);
            String address = !lbs.isEmpty() ? lbs.get(0).address()
                : resources(steps, t, ResourceKind.ECS_INSTANCE).get(0).address();
            if (t.env() == EnvName.TEST) {
                String rr = t.domain().substring(0, t.domain().indexOf('.'));
                String zone = t.domain().substring(t.domain().indexOf('.') + 1);
                String recordId = dns.ensureARecord(zone, rr, address);
                steps.builds().dnsRecord(t.buildId(), recordId, address);
                steps.done(t, "domain", t.domain() + " → " + address);
            } else {
                steps.skipped(t, "domain", "point " + t.domain() + " at " + address);
            }
        };
    }

    /** Task_MarkReady. */
    @Bean
    JavaDelegate markEnvironmentReady(BuildSteps steps) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            steps.builds().ready(t.buildId());
            steps.done(t, "ready", t.plan() + " environment ready");
        };
    }

    /**
     * Task_ReleaseAfterNoStock and Task_ReleaseResources: everything the build recorded is deleted, newest first;
     * one already gone is fine.
     */
    @Bean
    JavaDelegate releaseBuildResources(BuildSteps steps, ComputePort compute, LoadBalancerPort loadBalancers,
                                       DatabasePort databases, DnsPort dns) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            List<CloudResource> all = new ArrayList<>(steps.builds().resources(t.buildId()));
            Collections.reverse(all);
            for (CloudResource r : all) {
                switch (r.kind()) {
                    case DNS_RECORD -> dns.deleteRecord(r.resourceId());
                    case LOAD_BALANCER -> loadBalancers.deleteLoadBalancer(r.resourceId());
                    case RDS_INSTANCE -> databases.deleteInstance(r.resourceId());
                    case ECS_INSTANCE -> compute.deleteInstance(r.resourceId(), true);
                    case SERVER_CERTIFICATE -> { } // goes with the load balancer's listener; kept for the record
                }
                steps.builds().released(t.buildId(), r.kind(), r.resourceId());
            }
            steps.done(t, "released", all.size() + " resources released");
        };
    }

    /** Task_RefundAfterNoStock and Task_RefundOrder: a paid order is refunded in full, an unpaid one closed. */
    @Bean
    JavaDelegate refundPaymentOrder(BuildSteps steps, PaymentPort payments) {
        return execution -> {
            BuildTicket t = steps.ticket(execution);
            String reason = "Task_RefundAfterNoStock".equals(execution.getCurrentActivityId())
                ? "out of stock" : "given up by an operator";
            CloudOrder order = steps.builds().order(t.outTradeNo()).orElseThrow();
            if (order.status() == OrderStatus.PAID || order.status() == OrderStatus.REFUNDED) {
                String outRefundNo = "R" + t.outTradeNo();
                payments.refund(t.outTradeNo(), outRefundNo, order.amountFen(), order.amountFen(),
                    "Environment build failed: " + reason);
                steps.builds().refunded(t.outTradeNo(), outRefundNo);
                steps.done(t, "refund", order.amountFen() + " fen refunded (" + outRefundNo + ")");
            } else if (order.status() == OrderStatus.UNPAID) {
                payments.closeOrder(t.outTradeNo());
                steps.done(t, "refund", "not paid: order closed");
            }
            steps.builds().failed(t.buildId(), reason);
        };
    }

    // --- shared

    private static boolean paidAtPlatform(BuildSteps steps, PaymentPort payments, Clock clock, BuildTicket t) {
        PaymentPort.OrderState state = payments.queryOrder(t.outTradeNo());
        if (!"SUCCESS".equals(state.tradeState())) {
            return false;
        }
        steps.builds().paid(t.outTradeNo(), state.transactionId(), clock.instant());
        return true;
    }

    private static <T> T outOfStockIsAnOutcome(BuildSteps steps, BuildTicket t, String step, Supplier<T> buy) {
        try {
            return buy.get();
        } catch (PlatformException e) {
            if (CloudErrors.NO_STOCK.equals(e.platformCode())) {
                steps.builds().step(t.buildId(), step, io.miniflow.cloudapp.StepStatus.FAILED,
                    "out of stock (" + e.platformCode() + ")");
                throw new BpmnError("NO_STOCK", e.platformCode());
            }
            throw e;
        }
    }

    private static List<CloudResource> resources(BuildSteps steps, BuildTicket t, ResourceKind kind) {
        return steps.builds().resources(t.buildId()).stream().filter(r -> r.kind() == kind).toList();
    }

    private static List<String> ids(BuildSteps steps, BuildTicket t, ResourceKind kind) {
        return resources(steps, t, kind).stream().map(CloudResource::resourceId).toList();
    }

    /** 24 characters of letters and digits, as RDS accepts for an account password. */
    static String newPassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        StringBuilder password = new StringBuilder("Mf1");
        for (int i = 0; i < 21; i++) {
            password.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return password.toString();
    }
}
