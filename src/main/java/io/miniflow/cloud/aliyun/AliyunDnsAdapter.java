package io.miniflow.cloud.aliyun;

import java.util.ArrayList;
import java.util.List;

import com.aliyuncs.alidns.model.v20150109.AddDomainRecordRequest;
import com.aliyuncs.alidns.model.v20150109.DeleteDomainRecordRequest;
import com.aliyuncs.alidns.model.v20150109.DescribeSubDomainRecordsRequest;
import com.aliyuncs.alidns.model.v20150109.DescribeSubDomainRecordsResponse;

import io.miniflow.cloud.DnsPort;
import io.miniflow.shared.PlatformException;

import org.springframework.stereotype.Component;

/**
 * {@link DnsPort} on aliyun-java-sdk-alidns (API 2015-01-09). AddDomainRecord has no ClientToken; the record itself
 * is the key: DomainRecordDuplicate means the wanted record is there, and its id is looked up.
 */
@Component
public class AliyunDnsAdapter implements DnsPort {

    private static final long TTL_SECONDS = 600;

    private final AliyunClientFactory aliyun;

    public AliyunDnsAdapter(AliyunClientFactory aliyun) {
        this.aliyun = aliyun;
    }

    @Override
    public String ensureARecord(String domain, String rr, String address) {
        AddDomainRecordRequest request = new AddDomainRecordRequest();
        request.setDomainName(domain);
        request.setRR(rr);
        request.setType("A");
        request.setValue(address);
        request.setTTL(TTL_SECONDS);
        try {
            return aliyun.call(AliyunClientFactory.Product.DNS, request).getRecordId();
        } catch (PlatformException e) {
            if (!"DomainRecordDuplicate".equals(e.platformCode())) {
                throw e;
            }
            return describe(domain, rr).stream()
                .filter(r -> "A".equals(r.type()) && address.equals(r.value()))
                .map(DnsRecord::recordId).findFirst()
                .orElseThrow(() -> e);
        }
    }

    @Override
    public List<DnsRecord> describe(String domain, String rr) {
        List<DnsRecord> records = new ArrayList<>();
        for (long page = 1; ; page++) {
            DescribeSubDomainRecordsRequest request = new DescribeSubDomainRecordsRequest();
            request.setDomainName(domain);
            request.setSubDomain("@".equals(rr) ? domain : rr + "." + domain);
            request.setPageNumber(page);
            request.setPageSize(100L);
            DescribeSubDomainRecordsResponse response = aliyun.call(AliyunClientFactory.Product.DNS, request);
            for (DescribeSubDomainRecordsResponse.Record r : response.getDomainRecords()) {
                records.add(new DnsRecord(r.getRecordId(), r.getRR(), r.getType(), r.getValue(),
                    r.getTTL() == null ? 0 : r.getTTL(), r.getStatus()));
            }
            Long total = response.getTotalCount();
            if (response.getDomainRecords().isEmpty() || total == null || records.size() >= total) {
                return records;
            }
        }
    }

    @Override
    public void deleteRecord(String recordId) {
        DeleteDomainRecordRequest request = new DeleteDomainRecordRequest();
        request.setRecordId(recordId);
        try {
            aliyun.call(AliyunClientFactory.Product.DNS, request);
        } catch (PlatformException e) {
            // Alidns answers this for an id that does not exist (any more) as well as for someone else's record.
            if (!"DomainRecordNotBelongToUser".equals(e.platformCode())) {
                throw e;
            }
        }
    }
}
