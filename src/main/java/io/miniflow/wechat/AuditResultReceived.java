package io.miniflow.wechat;

import java.util.List;

/**
 * WeChat pushed the result of a mini program's audit (weapp_audit_success / _fail / _delay). Published as a Spring
 * application event for whoever wants to know; the release processes get it through their port,
 * {@link io.miniflow.release.AuditResults}. The push carries no audit id: it is the id of the
 * mini program's latest audit as get_latest_auditstatus reported it on arrival (0 if that lookup failed).
 *
 * @param status SUCCESS, FAIL or DELAY
 */
public record AuditResultReceived(String appId, long auditId, String status, String reason, List<String> screenshots) {
}
