package io.miniflow.cloud;

import java.util.Map;
import java.util.Set;

import io.miniflow.shared.PlatformErrors;
import io.miniflow.shared.PlatformException;
import io.miniflow.shared.QuickRetries;

/**
 * The one translation of the cloud's error codes (Aliyun ECS/SLB/RDS/DNS) into Miniflow's terms: retryable or not, and which
 * message people read (keys {@code cloud.error.*} in i18n/cloud*.properties). Adapters pass the code they caught;
 * nothing else decides about retries.
 */
public final class CloudErrors {

    /**
     * The platform has no stock for what was asked (RunInstances, CreateDBInstance): a business outcome, not a fault
     * to retry; the environment-build process recognises it by this code on the PlatformException.
     */
    public static final String NO_STOCK = "OperationDenied.NoStock";

    /** Codes worth retrying: throttling, temporary unavailability, and SLB's "busy, configuring" family. */
    private static final Set<String> RETRYABLE = Set.of(
        "Throttling", "Throttling.User", "Throttling.Api", "Rejected.Throttling", "ServiceUnavailable",
        "InternalError", "SystemBusy", "OperationBusy", "ServiceIsStopping", "BackendServer.configuring",
        "ServiceIsConfiguring", "OperationFailed.TokenIsProcessing", "OperationConflict", "InvalidOperation.Conflict",
        "LastTokenProcessing",
        // RDS: the instance is still being created or changed; it will accept the call later
        "IncorrectDBInstanceState", "OperationDenied.DBInstanceStatus",
        // the SDK's own codes when no answer came back
        "SDK.ServerUnreachable", "SDK.ReadTimeout", "SDK.ConnectTimeout");

    /** Codes with their own message; the rest get the generic retryable/refused message with the code. */
    private static final Map<String, String> MESSAGES = Map.ofEntries(
        Map.entry("Throttling", "throttled"),
        Map.entry("Throttling.User", "throttled"),
        Map.entry("Rejected.Throttling", "throttled"),
        Map.entry("ServiceUnavailable", "unavailable"),
        Map.entry("InternalError", "unavailable"),
        Map.entry("SDK.ServerUnreachable", "unreachable"),
        Map.entry("SDK.ReadTimeout", "unreachable"),
        Map.entry("SDK.ConnectTimeout", "unreachable"),
        Map.entry("IncorrectInstanceStatus", "incorrectInstanceStatus"),
        Map.entry("InvalidInstanceId.NotFound", "instanceNotFound"),
        Map.entry("InvalidLoadBalancerId.NotFound", "loadBalancerNotFound"),
        Map.entry(NO_STOCK, "noStock"),
        Map.entry("InvalidDBInstanceId.NotFound", "dbInstanceNotFound"),
        Map.entry("IncorrectDBInstanceState", "incorrectDbInstanceState"),
        Map.entry("OperationDenied.DBInstanceStatus", "incorrectDbInstanceState"),
        Map.entry("InvalidDBName.Duplicate", "databaseExists"),
        Map.entry("InvalidAccountName.Duplicate", "accountExists"),
        Map.entry("DomainRecordDuplicate", "dnsRecordExists"),
        Map.entry("DomainRecordConflict", "dnsRecordConflict"),
        Map.entry("DomainRecordNotBelongToUser", "dnsRecordNotFound"),
        Map.entry("IdempotentParameterMismatch", "idempotentMismatch"),
        Map.entry("SignatureDoesNotMatch", "credentials"),
        Map.entry("SDK.InvalidAccessKeySecret", "credentials"),
        Map.entry("InvalidAccessKeyId.NotFound", "credentials"),
        Map.entry("ListenerAlreadyExists", "listenerExists"));

    public static final PlatformErrors ALIYUN = new PlatformErrors("aliyun", "cloud.error",
        code -> RETRYABLE.contains(code) || code.startsWith("Throttling"), MESSAGES);

    /** Failed in passing, nothing done: worth a quick retry ({@link QuickRetries}). */
    private static final Set<String> TRANSIENT = Set.of("ServiceUnavailable", "InternalError", "SystemBusy");

    /**
     * Whether a failed call is worth trying again at once: throttled (slow down) or the service failed in passing.
     * The states that take minutes to change (an instance still starting, a load balancer configuring) are left to
     * the engine's retry cycle, as is a call without an answer.
     */
    public static QuickRetries.Kind quickRetry(RuntimeException failure) {
        if (!(failure instanceof PlatformException e) || e.platformCode() == null) {
            return QuickRetries.Kind.NONE;
        }
        if (e.platformCode().startsWith("Throttling") || e.platformCode().equals("Rejected.Throttling")) {
            return QuickRetries.Kind.SLOW_DOWN;
        }
        return TRANSIENT.contains(e.platformCode()) ? QuickRetries.Kind.TRANSIENT : QuickRetries.Kind.NONE;
    }

    private CloudErrors() {
    }
}
