package io.miniflow.cloud;

import java.util.List;

/**
 * What a test environment needs from DNS (Alibaba Cloud DNS): the A record of its second-level domain, which may be
 * written again without harm, looked up and removed. Owned by the domain; the Alidns adapter implements it. Failures
 * are thrown as {@link io.miniflow.shared.PlatformException}.
 */
public interface DnsPort {

    /**
     * Makes {@code rr.domain} resolve to {@code address}; the record id of the existing identical record if there is
     * one already (a retry), otherwise of the new one. Records of the name pointing elsewhere are left alone: the
     * caller deletes an old address by its record id.
     */
    String ensureARecord(String domain, String rr, String address);

    /** The records of {@code rr.domain}, all types. */
    List<DnsRecord> describe(String domain, String rr);

    /** Removes the record; one already gone is fine. */
    void deleteRecord(String recordId);

    record DnsRecord(String recordId, String rr, String type, String value, long ttl, String status) {
    }
}
