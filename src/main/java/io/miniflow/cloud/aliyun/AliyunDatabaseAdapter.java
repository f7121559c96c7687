package io.miniflow.cloud.aliyun;

import java.util.List;

import com.aliyuncs.rds.model.v20140815.CreateAccountRequest;
import com.aliyuncs.rds.model.v20140815.CreateDBInstanceRequest;
import com.aliyuncs.rds.model.v20140815.CreateDBInstanceResponse;
import com.aliyuncs.rds.model.v20140815.CreateDatabaseRequest;
import com.aliyuncs.rds.model.v20140815.DeleteDBInstanceRequest;
import com.aliyuncs.rds.model.v20140815.DescribeDBInstanceAttributeRequest;
import com.aliyuncs.rds.model.v20140815.DescribeDBInstanceAttributeResponse;
import com.aliyuncs.rds.model.v20140815.GrantAccountPrivilegeRequest;

import io.miniflow.cloud.DatabasePort;
import io.miniflow.shared.IdempotencyKey;
import io.miniflow.shared.PlatformException;

import org.springframework.stereotype.Component;

/**
 * {@link DatabasePort} on aliyun-java-sdk-rds (API 2014-08-15): creation carries a ClientToken from the key; database
 * and account creation treat "exists already" as done, so a retried step after a lost answer does not fail.
 */
@Component
public class AliyunDatabaseAdapter implements DatabasePort {

    private static final String NOT_FOUND = "InvalidDBInstanceId.NotFound";

    private final AliyunClientFactory aliyun;

    public AliyunDatabaseAdapter(AliyunClientFactory aliyun) {
        this.aliyun = aliyun;
    }

    @Override
    public DatabaseInstance createInstance(InstanceSpec spec, IdempotencyKey key) {
        CreateDBInstanceRequest request = new CreateDBInstanceRequest();
        request.setEngine("MySQL");
        request.setEngineVersion(spec.engineVersion());
        request.setDBInstanceClass(spec.instanceClass());
        request.setDBInstanceStorage(spec.storageGb());
        request.setDBInstanceNetType("Intranet");
        request.setInstanceNetworkType("VPC");
        request.setPayType("Postpaid");
        request.setZoneId(spec.zoneId());
        request.setVPCId(spec.vpcId());
        request.setVSwitchId(spec.vSwitchId());
        request.setDBInstanceDescription(spec.description());
        request.setSecurityIPList(spec.securityIps());
        request.setClientToken(key.clientToken());
        CreateDBInstanceResponse response = aliyun.call(AliyunClientFactory.Product.RDS, request);
        return new DatabaseInstance(response.getDBInstanceId(), Status.CREATING,
            blankToNull(response.getConnectionString()), port(response.getPort()));
    }

    @Override
    public DatabaseInstance describe(String instanceId) {
        DescribeDBInstanceAttributeRequest request = new DescribeDBInstanceAttributeRequest();
        request.setDBInstanceId(instanceId);
        List<DescribeDBInstanceAttributeResponse.DBInstanceAttribute> items =
            aliyun.call(AliyunClientFactory.Product.RDS, request).getItems();
        if (items == null || items.isEmpty()) {
            throw new IllegalStateException("DescribeDBInstanceAttribute answered no item for " + instanceId);
        }
        DescribeDBInstanceAttributeResponse.DBInstanceAttribute a = items.get(0);
        Status status = switch (a.getDBInstanceStatus() == null ? "" : a.getDBInstanceStatus()) {
            case "Creating" -> Status.CREATING;
            case "Running" -> Status.RUNNING;
            case "Deleting" -> Status.DELETING;
            default -> Status.OTHER;
        };
        return new DatabaseInstance(a.getDBInstanceId(), status, blankToNull(a.getConnectionString()),
            port(a.getPort()));
    }

    @Override
    public void ensureDatabase(String instanceId, String name, String characterSet) {
        CreateDatabaseRequest request = new CreateDatabaseRequest();
        request.setDBInstanceId(instanceId);
        request.setDBName(name);
        request.setCharacterSetName(characterSet);
        ignoring("InvalidDBName.Duplicate", () -> aliyun.call(AliyunClientFactory.Product.RDS, request));
    }

    @Override
    public void ensureAccount(String instanceId, String accountName, String password, String database,
                              Privilege privilege) {
        CreateAccountRequest create = new CreateAccountRequest();
        create.setDBInstanceId(instanceId);
        create.setAccountName(accountName);
        create.setAccountPassword(password);
        create.setAccountType("Normal");
        ignoring("InvalidAccountName.Duplicate", () -> aliyun.call(AliyunClientFactory.Product.RDS, create));
        GrantAccountPrivilegeRequest grant = new GrantAccountPrivilegeRequest();
        grant.setDBInstanceId(instanceId);
        grant.setAccountName(accountName);
        grant.setDBName(database);
        grant.setAccountPrivilege(switch (privilege) {
            case READ_WRITE -> "ReadWrite";
            case READ_ONLY -> "ReadOnly";
            case DDL_ONLY -> "DDLOnly";
            case DML_ONLY -> "DMLOnly";
            case DB_OWNER -> "DBOwner";
        });
        aliyun.call(AliyunClientFactory.Product.RDS, grant);
    }

    @Override
    public void deleteInstance(String instanceId) {
        DeleteDBInstanceRequest request = new DeleteDBInstanceRequest();
        request.setDBInstanceId(instanceId);
        ignoring(NOT_FOUND, () -> aliyun.call(AliyunClientFactory.Product.RDS, request));
    }

    /** Runs the call; the given platform code means the wanted state is there already. */
    private static void ignoring(String code, Runnable call) {
        try {
            call.run();
        } catch (PlatformException e) {
            if (!code.equals(e.platformCode())) {
                throw e;
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static int port(String port) {
        return port == null || port.isBlank() ? 3306 : Integer.parseInt(port.trim());
    }
}
