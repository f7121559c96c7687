package io.miniflow.release;

import java.util.List;

/**
 * Where a platform's audit results enter the release processes: the platform's side (its push handler) says what it
 * learnt in the release's terms. Implementations never throw: a result not handed over now is left to the release's
 * poll of the audit status.
 */
public interface AuditResults {

    void passed(String appId);

    void rejected(String appId, String reason, List<String> screenshots);

    /** The audit takes longer than usual; the release keeps waiting. */
    void delayed(String appId, String reason);
}
