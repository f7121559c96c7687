package io.miniflow.sandbox.aliyun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.UUID;

import com.aliyuncs.alidns.model.v20150109.AddDomainRecordRequest;
import com.aliyuncs.alidns.model.v20150109.DeleteDomainRecordRequest;
import com.aliyuncs.alidns.model.v20150109.DescribeSubDomainRecordsRequest;
import com.aliyuncs.alidns.model.v20150109.DescribeSubDomainRecordsResponse;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.FormatType;
import com.aliyuncs.rds.model.v20140815.CreateAccountRequest;
import com.aliyuncs.rds.model.v20140815.CreateDBInstanceRequest;
import com.aliyuncs.rds.model.v20140815.CreateDBInstanceResponse;
import com.aliyuncs.rds.model.v20140815.CreateDatabaseRequest;
import com.aliyuncs.rds.model.v20140815.DeleteDBInstanceRequest;
import com.aliyuncs.rds.model.v20140815.DescribeDBInstanceAttributeRequest;
import com.aliyuncs.rds.model.v20140815.DescribeDBInstanceAttributeResponse;
import com.aliyuncs.rds.model.v20140815.GrantAccountPrivilegeRequest;

import io.miniflow.MiniflowIntegrationTest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** The real aliyun-java-sdk-rds and -alidns clients against the emulator, changed only in their endpoint. */
@MiniflowIntegrationTest
class AliyunRdsDnsEmulatorTest {

    @LocalServerPort
    int port;
    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcClient jdbc;

    AliyunSdkClients aliyun;

    @BeforeEach
    void shortTimings() throws Exception {
        aliyun = AliyunSdkClients.sandbox(port);
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
        settings("{\"dbCreatingMillis\":300}");
    }

    @AfterEach
    void resetControl() throws Exception {
        mvc.perform(delete("/sandbox/admin/aliyun")).andExpect(status().isNoContent());
    }

    private void settings(String json) throws Exception {
        mvc.perform(put("/sandbox/admin/aliyun/settings").contentType(MediaType.APPLICATION_JSON).content(json))
            .andExpect(status().isOk());
    }

    private static CreateDBInstanceRequest createInstance(String token, int storage) {
        CreateDBInstanceRequest request = new CreateDBInstanceRequest();
        request.setEngine("MySQL");
        request.setEngineVersion("8.0");
        request.setDBInstanceClass("mysql.n2.medium.1");
        request.setDBInstanceStorage(storage);
        request.setDBInstanceNetType("Intranet");
        request.setPayType("Postpaid");
        request.setSecurityIPList("172.16.0.0/12");
        request.setClientToken(token);
        return request;
    }

    private DescribeDBInstanceAttributeResponse.DBInstanceAttribute attribute(String id) throws ClientException {
        DescribeDBInstanceAttributeRequest request = new DescribeDBInstanceAttributeRequest();
        request.setDBInstanceId(id);
        return aliyun.call(request).getItems().get(0);
    }

    private String runningInstance() throws Exception {
        String id = aliyun.call(createInstance(UUID.randomUUID().toString(), 20)).getDBInstanceId();
        await().atMost(Duration.ofSeconds(10)).until(() -> "Running".equals(attribute(id).getDBInstanceStatus()));
        return id;
    }

    @Test
    void anInstanceIsCreatingThenRunningAndItsClientTokenReturnsItAgain() throws Exception {
        // Long enough that two calls on a busy machine still see it Creating (300 ms was not, under load).
        settings("{\"dbCreatingMillis\":3000}");
        String token = UUID.randomUUID().toString();
        CreateDBInstanceResponse created = aliyun.call(createInstance(token, 20));
        assertThat(created.getDBInstanceId()).startsWith("rm-");
        assertThat(created.getConnectionString()).endsWith(".mysql.rds.aliyuncs.com");
        assertThat(created.getPort()).isEqualTo("3306");
        assertThat(aliyun.call(createInstance(token, 20)).getDBInstanceId()).isEqualTo(created.getDBInstanceId());

        DescribeDBInstanceAttributeResponse.DBInstanceAttribute creating = attribute(created.getDBInstanceId());
        assertThat(creating.getDBInstanceStatus()).isEqualTo("Creating");
        assertThat(creating.getEngine()).isEqualTo("MySQL");
        assertThat(creating.getDBInstanceStorage()).isEqualTo(20);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> "Running".equals(attribute(created.getDBInstanceId()).getDBInstanceStatus()));

        mvc.perform(get("/sandbox/admin/aliyun/stats"))
            .andExpect(jsonPath("$.CreateDBInstance.created").value(1))
            .andExpect(jsonPath("$.CreateDBInstance.clientTokenRepeats").value(1));
    }

    @Test
    void theSameClientTokenWithOtherParametersIsRefused() throws Exception {
        String token = UUID.randomUUID().toString();
        aliyun.call(createInstance(token, 20));
        assertThatThrownBy(() -> aliyun.call(createInstance(token, 50)))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("IdempotentParameterMismatch"));
    }

    @Test
    void aSoldOutClassIsRefusedWithNoStock() throws Exception {
        settings("{\"stockOut\":[\"mysql.n2.medium.1\"]}");
        assertThatThrownBy(() -> aliyun.call(createInstance(UUID.randomUUID().toString(), 20)))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("OperationDenied.NoStock"));
    }

    @Test
    void databasesAndAccountsWaitForRunningAndRefuseDuplicates() throws Exception {
        String creating = aliyun.call(createInstance(UUID.randomUUID().toString(), 20)).getDBInstanceId();
        assertThatThrownBy(() -> aliyun.call(database(creating, "app")))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("IncorrectDBInstanceState"));

        String id = runningInstance();
        aliyun.call(database(id, "app"));
        assertThatThrownBy(() -> aliyun.call(database(id, "app")))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("InvalidDBName.Duplicate"));

        assertThatThrownBy(() -> aliyun.call(account(id, "app_user", "weak")))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccountPassword.Malformed"));
        aliyun.call(account(id, "app_user", "Str0ng-Passw0rd"));
        assertThatThrownBy(() -> aliyun.call(account(id, "app_user", "Str0ng-Passw0rd")))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("InvalidAccountName.Duplicate"));

        GrantAccountPrivilegeRequest grant = new GrantAccountPrivilegeRequest();
        grant.setDBInstanceId(id);
        grant.setAccountName("app_user");
        grant.setDBName("app");
        grant.setAccountPrivilege("ReadWrite");
        aliyun.call(grant);
        assertThat(jdbc.sql("SELECT privilege FROM sandbox_aliyun_db_privilege WHERE db_instance_id = ? AND account_name = ?")
            .params(id, "app_user").query(String.class).single()).isEqualTo("ReadWrite");
        grant.setDBName("nosuchdb");
        assertThatThrownBy(() -> aliyun.call(grant))
            .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("InvalidDBName.NotFound"));
    }

    @Test
    void aDeletedInstanceIsNotFoundAfterwards() throws Exception {
        String id = runningInstance();
        DeleteDBInstanceRequest delete = new DeleteDBInstanceRequest();
        delete.setDBInstanceId(id);
        aliyun.call(delete);
        assertThatThrownBy(() -> aliyun.call(delete))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("InvalidDBInstanceId.NotFound"));
        DescribeDBInstanceAttributeRequest describe = new DescribeDBInstanceAttributeRequest();
        describe.setDBInstanceId(id);
        describe.setSysAcceptFormat(FormatType.XML);
        assertThatThrownBy(() -> aliyun.call(describe))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("InvalidDBInstanceId.NotFound"));
    }

    private static CreateDatabaseRequest database(String instanceId, String name) {
        CreateDatabaseRequest request = new CreateDatabaseRequest();
        request.setDBInstanceId(instanceId);
        request.setDBName(name);
        request.setCharacterSetName("utf8mb4");
        return request;
    }

    private static CreateAccountRequest account(String instanceId, String name, String password) {
        CreateAccountRequest request = new CreateAccountRequest();
        request.setDBInstanceId(instanceId);
        request.setAccountName(name);
        request.setAccountPassword(password);
        request.setAccountType("Normal");
        return request;
    }

    private static AddDomainRecordRequest aRecord(String domain, String rr, String address) {
        AddDomainRecordRequest request = new AddDomainRecordRequest();
        request.setDomainName(domain);
        request.setRR(rr);
        request.setType("A");
        request.setValue(address);
        return request;
    }

    @Test
    void aRecordIsAddedFoundAndDeletedAndAnIdenticalOneIsADuplicate() throws Exception {
        String domain = "t" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        String recordId = aliyun.call(aRecord(domain, "app1", "47.96.1.2")).getRecordId();
        assertThat(recordId).isNotBlank();
        assertThatThrownBy(() -> aliyun.call(aRecord(domain, "app1", "47.96.1.2")))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("DomainRecordDuplicate"));

        DescribeSubDomainRecordsRequest describe = new DescribeSubDomainRecordsRequest();
        describe.setDomainName(domain);
        describe.setSubDomain("app1." + domain);
        DescribeSubDomainRecordsResponse found = aliyun.call(describe);
        assertThat(found.getTotalCount()).isEqualTo(1);
        DescribeSubDomainRecordsResponse.Record record = found.getDomainRecords().get(0);
        assertThat(record.getRecordId()).isEqualTo(recordId);
        assertThat(record.getRR()).isEqualTo("app1");
        assertThat(record.getType()).isEqualTo("A");
        assertThat(record.getValue()).isEqualTo("47.96.1.2");

        AddDomainRecordRequest cname = aRecord(domain, "app1", "elsewhere.example.net");
        cname.setType("CNAME");
        assertThatThrownBy(() -> aliyun.call(cname))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("DomainRecordConflict"));

        DeleteDomainRecordRequest delete = new DeleteDomainRecordRequest();
        delete.setRecordId(recordId);
        assertThat(aliyun.call(delete).getRecordId()).isEqualTo(recordId);
        assertThat(aliyun.call(describe).getDomainRecords()).isEmpty();
        assertThatThrownBy(() -> aliyun.call(delete))
            .isInstanceOfSatisfying(ClientException.class,
                e -> assertThat(e.getErrCode()).isEqualTo("DomainRecordNotBelongToUser"));
    }

    @Test
    void anARecordMustPointAtAnIpv4Address() {
        assertThatThrownBy(() -> aliyun.call(aRecord("example.com", "bad", "not-an-ip")))
            .isInstanceOfSatisfying(ClientException.class, e -> assertThat(e.getErrCode()).isEqualTo("InvalidValue.A"));
    }
}
