package io.miniflow.sandbox.aliyun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * RDS (API 2014-08-15), MySQL only: CreateDBInstance (ClientToken, stock control) makes an instance that is Creating
 * and turns Running after the configured time (applied when read, like ECS); databases, accounts and privileges can
 * only be changed on a Running instance, as on the platform.
 */
@Component
class RdsEmulator implements RpcProduct {

    private static final Set<String> PRIVILEGES = Set.of("ReadWrite", "ReadOnly", "DDLOnly", "DMLOnly", "DBOwner");
    private static final String PASSWORD_SPECIALS = "!@#$%^&*()_+-=";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final AliyunSandboxControl control;
    private final ClientTokens tokens;

    RdsEmulator(JdbcClient jdbc, Clock clock, AliyunSandboxControl control, ClientTokens tokens) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.control = control;
        this.tokens = tokens;
    }

    @Override
    public String version() {
        return "2014-08-15";
    }

    @Override
    public String hostId() {
        return "rds.aliyuncs.com";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        return switch (request.action()) {
            case "CreateDBInstance" -> tokens.once("Rds", request, () -> createInstance(request));
            case "DescribeDBInstanceAttribute" -> describeAttribute(request);
            case "CreateDatabase" -> createDatabase(request);
            case "CreateAccount" -> createAccount(request);
            case "GrantAccountPrivilege" -> grant(request);
            case "DeleteDBInstance" -> deleteInstance(request);
            default -> throw RpcProduct.unknownAction(request.action());
        };
    }

    record DbInstance(String id, String regionId, String zoneId, String engine, String engineVersion,
                      String instanceClass, int storageGb, String netType, String payType, String vpcId,
                      String vswitchId, String description, String securityIps, String connectionString, int port,
                      String status, Long runningAt, Instant createdAt) {
    }

    private Map<String, Object> createInstance(RpcRequest request) {
        String regionId = request.required("RegionId");
        String engine = request.required("Engine");
        if (!"MySQL".equals(engine)) {
            throw AliyunError.badRequest("InvalidEngine.Malformed", "Specified engine is not valid (the sandbox has "
                + "MySQL only).");
        }
        String engineVersion = request.required("EngineVersion");
        if (!List.of("5.6", "5.7", "8.0").contains(engineVersion)) {
            throw AliyunError.badRequest("InvalidEngineVersion.Malformed", "Specified engine version is not valid.");
        }
        String instanceClass = request.required("DBInstanceClass");
        int storage = request.integer("DBInstanceStorage", -1);
        if (storage == -1) {
            throw AliyunError.missing("DBInstanceStorage");
        }
        if (storage < 5 || storage > 6000) {
            throw AliyunError.badRequest("InvalidDBInstanceStorage.Malformed", "Specified DB instance storage is not "
                + "valid.");
        }
        String netType = request.required("DBInstanceNetType");
        if (!List.of("Internet", "Intranet").contains(netType)) {
            throw AliyunError.invalid("DBInstanceNetType", netType);
        }
        String payType = request.required("PayType");
        if (!List.of("Postpaid", "Prepaid", "Serverless").contains(payType)) {
            throw AliyunError.invalid("PayType", payType);
        }
        String securityIps = request.required("SecurityIPList");
        if (control.outOfStock(instanceClass)) {
            throw AliyunError.forbidden("OperationDenied.NoStock", "The requested resource is sold out in the "
                + "specified zone; try other types of resources or other regions and zones.");
        }
        if (request.flag("DryRun")) {
            throw AliyunError.badRequest("DryRunOperation", "Request validation has been passed with DryRun flag set.");
        }
        String id = Ids.random("rm-bp1", 17);
        String connection = id + ".mysql.rds.aliyuncs.com";
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_db_instance (db_instance_id, region_id, zone_id, engine, engine_version,
                  instance_class, storage_gb, net_type, pay_type, vpc_id, vswitch_id, description, security_ips,
                  connection_string, port, status, running_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 3306, 'Creating', ?, ?)""")
            .params(id, regionId, request.get("ZoneId", regionId + "-h"), engine, engineVersion, instanceClass, storage,
                netType, payType, request.get("VPCId"), request.get("VSwitchId"), request.get("DBInstanceDescription"),
                securityIps, connection, now.plusMillis(control.settings().dbCreatingMillis()).toEpochMilli(),
                Timestamp.from(now))
            .update();
        control.stats(request.action()).created.incrementAndGet();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("DBInstanceId", id);
        body.put("OrderId", Ids.random("2", 14).replaceAll("[a-z]", "7"));
        body.put("ConnectionString", connection);
        body.put("Port", "3306");
        return body;
    }

    private Map<String, Object> describeAttribute(RpcRequest request) {
        DbInstance i = require(request.required("DBInstanceId"));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("DBInstanceId", i.id());
        a.put("DBInstanceDescription", i.description() == null ? "" : i.description());
        a.put("RegionId", i.regionId());
        a.put("ZoneId", i.zoneId());
        a.put("Engine", i.engine());
        a.put("EngineVersion", i.engineVersion());
        a.put("DBInstanceClass", i.instanceClass());
        a.put("DBInstanceStorage", i.storageGb());
        a.put("DBInstanceStorageType", "cloud_essd");
        a.put("DBInstanceStatus", i.status());
        a.put("DBInstanceNetType", i.netType());
        a.put("DBInstanceType", "Primary");
        a.put("InstanceNetworkType", i.vpcId() == null ? "Classic" : "VPC");
        a.put("VpcId", i.vpcId() == null ? "" : i.vpcId());
        a.put("VSwitchId", i.vswitchId() == null ? "" : i.vswitchId());
        a.put("PayType", i.payType());
        a.put("ConnectionString", i.connectionString());
        a.put("Port", String.valueOf(i.port()));
        a.put("SecurityIPList", i.securityIps());
        a.put("AccountMaxQuantity", 500);
        a.put("DBMaxQuantity", 500);
        a.put("CreationTime", EcsEmulator.MINUTES.format(i.createdAt()));
        a.put("LockMode", "Unlock");
        a.put("Category", "HighAvailability");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Items", Map.of("DBInstanceAttribute", List.of(a)));
        return body;
    }

    private Map<String, Object> createDatabase(RpcRequest request) {
        DbInstance i = running(request.required("DBInstanceId"));
        String name = request.required("DBName");
        if (!name.matches("[a-z][a-z0-9_-]{0,62}[a-z0-9]|[a-z]")) {
            throw AliyunError.badRequest("InvalidDBName.Format", "Specified DB name is not valid.");
        }
        String charset = request.required("CharacterSetName");
        if (!List.of("utf8", "gbk", "latin1", "utf8mb4").contains(charset)) {
            throw AliyunError.badRequest("InvalidCharacterSetName.Format", "Specified character set name is not valid.");
        }
        if (database(i.id(), name)) {
            throw AliyunError.badRequest("InvalidDBName.Duplicate", "Specified DB name already exists in this instance.");
        }
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_db_database (db_instance_id, db_name, character_set, description)
                VALUES (?, ?, ?, ?)""")
            .params(i.id(), name, charset, request.get("DBDescription")).update();
        control.stats(request.action()).created.incrementAndGet();
        return new LinkedHashMap<>();
    }

    private Map<String, Object> createAccount(RpcRequest request) {
        DbInstance i = running(request.required("DBInstanceId"));
        String name = request.required("AccountName");
        if (!name.matches("[a-z][a-z0-9_]{0,30}[a-z0-9]") || List.of("root", "admin", "mysql").contains(name)) {
            throw AliyunError.badRequest("InvalidAccountName.Format", "Specified account name is not valid.");
        }
        String password = request.required("AccountPassword");
        if (!strong(password)) {
            throw AliyunError.badRequest("InvalidAccountPassword.Malformed",
                "Specified account password is not valid: 8 to 32 characters, of at least three kinds among upper "
                    + "case letters, lower case letters, digits and " + PASSWORD_SPECIALS);
        }
        String type = request.get("AccountType", "Normal");
        if (!List.of("Normal", "Super").contains(type)) {
            throw AliyunError.invalid("AccountType", type);
        }
        if (account(i.id(), name)) {
            throw AliyunError.badRequest("InvalidAccountName.Duplicate",
                "Specified account name already exists in this instance.");
        }
        jdbc.sql("""
                INSERT INTO sandbox_aliyun_db_account (db_instance_id, account_name, password_digest, account_type, description)
                VALUES (?, ?, ?, ?, ?)""")
            .params(i.id(), name, sha256(password), type, request.get("AccountDescription")).update();
        control.stats(request.action()).created.incrementAndGet();
        return new LinkedHashMap<>();
    }

    private Map<String, Object> grant(RpcRequest request) {
        DbInstance i = running(request.required("DBInstanceId"));
        String account = request.required("AccountName");
        String privilege = request.required("AccountPrivilege");
        List<String> names = List.of(request.required("DBName").split(","));
        List<String> privileges = List.of(privilege.split(","));
        if (privileges.size() != names.size() || !PRIVILEGES.containsAll(privileges)) {
            throw AliyunError.badRequest("InvalidAccountPrivilege.Malformed", "Specified account privilege is not valid.");
        }
        if (!account(i.id(), account)) {
            throw AliyunError.notFound("InvalidAccountName.NotFound", "Specified account does not exist.");
        }
        for (String name : names) {
            if (!database(i.id(), name)) {
                throw AliyunError.notFound("InvalidDBName.NotFound", "Specified database name does not exist in this "
                    + "instance.");
            }
        }
        for (int n = 0; n < names.size(); n++) {
            jdbc.sql("DELETE FROM sandbox_aliyun_db_privilege WHERE db_instance_id = ? AND account_name = ? AND db_name = ?")
                .params(i.id(), account, names.get(n)).update();
            jdbc.sql("""
                    INSERT INTO sandbox_aliyun_db_privilege (db_instance_id, account_name, db_name, privilege)
                    VALUES (?, ?, ?, ?)""")
                .params(i.id(), account, names.get(n), privileges.get(n)).update();
        }
        return new LinkedHashMap<>();
    }

    private Map<String, Object> deleteInstance(RpcRequest request) {
        DbInstance i = require(request.required("DBInstanceId"));
        if ("Creating".equals(i.status())) {
            throw incorrectState(i);
        }
        for (String table : List.of("sandbox_aliyun_db_privilege", "sandbox_aliyun_db_account",
            "sandbox_aliyun_db_database", "sandbox_aliyun_db_instance")) {
            jdbc.sql("DELETE FROM " + table + " WHERE db_instance_id = ?").param(i.id()).update();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("RegionId", i.regionId());
        return body;
    }

    private boolean database(String instanceId, String name) {
        return jdbc.sql("SELECT COUNT(*) FROM sandbox_aliyun_db_database WHERE db_instance_id = ? AND db_name = ?")
            .params(instanceId, name).query(Integer.class).single() > 0;
    }

    private boolean account(String instanceId, String name) {
        return jdbc.sql("SELECT COUNT(*) FROM sandbox_aliyun_db_account WHERE db_instance_id = ? AND account_name = ?")
            .params(instanceId, name).query(Integer.class).single() > 0;
    }

    private DbInstance running(String instanceId) {
        DbInstance i = require(instanceId);
        if (!"Running".equals(i.status())) {
            throw incorrectState(i);
        }
        return i;
    }

    private static AliyunError incorrectState(DbInstance i) {
        return AliyunError.forbidden("IncorrectDBInstanceState",
            "Current DB instance state does not support this operation. (" + i.id() + " is " + i.status() + ")");
    }

    DbInstance require(String instanceId) {
        return find(instanceId).orElseThrow(() -> AliyunError.notFound("InvalidDBInstanceId.NotFound",
            "Specified instance does not exist or not support. (" + instanceId + ")"));
    }

    private Optional<DbInstance> find(String instanceId) {
        return jdbc.sql("SELECT * FROM sandbox_aliyun_db_instance WHERE db_instance_id = ?").param(instanceId)
            .query(this::row).optional().map(this::advance);
    }

    private DbInstance advance(DbInstance i) {
        if (i.runningAt() == null || i.runningAt() > clock.millis()) {
            return i;
        }
        jdbc.sql("UPDATE sandbox_aliyun_db_instance SET status = 'Running', running_at = NULL WHERE db_instance_id = ?")
            .param(i.id()).update();
        return find(i.id()).orElseThrow();
    }

    private static boolean strong(String password) {
        if (password.length() < 8 || password.length() > 32) {
            return false;
        }
        int kinds = 0;
        kinds += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        kinds += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        kinds += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        kinds += password.chars().anyMatch(c -> PASSWORD_SPECIALS.indexOf(c) >= 0) ? 1 : 0;
        boolean allowed = password.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128
            || PASSWORD_SPECIALS.indexOf(c) >= 0);
        return kinds >= 3 && allowed;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private DbInstance row(ResultSet rs, int n) throws SQLException {
        Long runningAt = rs.getObject("running_at", Long.class);
        return new DbInstance(rs.getString("db_instance_id"), rs.getString("region_id"), rs.getString("zone_id"),
            rs.getString("engine"), rs.getString("engine_version"), rs.getString("instance_class"),
            rs.getInt("storage_gb"), rs.getString("net_type"), rs.getString("pay_type"), rs.getString("vpc_id"),
            rs.getString("vswitch_id"), rs.getString("description"), rs.getString("security_ips"),
            rs.getString("connection_string"), rs.getInt("port"), rs.getString("status"),
            runningAt, rs.getTimestamp("created_at").toInstant());
    }
}
