package io.miniflow.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.miniflow.MiniflowIntegrationTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.awaitility.Awaitility;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.identity.User;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Notifications end to end over real HTTP: Miniflow's own server delivers to the sandbox's webhook receiver
 * (/sandbox/receiver/{name}), whose control API shows what arrived and can make it fail. Each channel's message is
 * checked against the format and signature its platform documents.
 */
@MiniflowIntegrationTest
class NotificationsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Autowired
    MockMvc mvc;
    @Autowired
    ObjectMapper json;
    @Autowired
    Events events;
    @Autowired
    NotifyRepository repository;
    @Autowired
    ChannelMessages channelMessages;
    @Autowired
    io.miniflow.workspace.WebhookTargets webhookTargets;
    @Autowired
    NotifySettings settings;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    IdentityService identityService;
    @Autowired
    RepositoryService repositoryService;
    @Autowired
    RuntimeService runtimeService;
    @Autowired
    org.camunda.bpm.engine.ManagementService managementService;
    @LocalServerPort
    int port;

    /** Two workspaces of this test alone, so nothing else running publishes to their subscriptions. */
    String wsA;
    String wsB;

    @BeforeEach
    void twoFreshWorkspaces() throws Exception {
        wsA = workspace();
        wsB = workspace();
    }

    // --- the channels' formats and signatures

    @Test
    void shouldSignTheGenericWebhookWithHmacSha256OfTheBody() throws Exception {
        String receiver = receiverName();
        String secret = "webhook-secret-0123456789";
        subscribe(wsA, "WEBHOOK", receiverUrl(receiver), secret, "publish.succeeded");

        publish(wsA, EventType.PUBLISH_SUCCEEDED, "shop 1.2.0 → prod", "/apps/shop");

        JsonNode delivery = awaitDeliveries(receiver, 1).get(0);
        String body = delivery.get("body").asText();
        JsonNode headers = lowerCaseKeys(delivery.get("headers"));
        assertThat(headers.path("x-miniflow-signature").asText())
            .isEqualTo("sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8))));
        assertThat(headers.path("x-miniflow-event").asText()).isEqualTo("publish.succeeded");
        assertThat(headers.path("content-type").asText()).startsWith("application/json");
        JsonNode event = json.readTree(body);
        assertThat(event.get("event").asText()).isEqualTo("publish.succeeded");
        assertThat(event.get("workspace").asText()).isEqualTo(wsA);
        assertThat(event.get("subject").asText()).isEqualTo("shop 1.2.0 → prod");
        assertThat(event.get("link").asText()).isEqualTo("http://localhost:" + port + "/apps/shop");
        assertThat(event.get("data").get("n").asInt()).isEqualTo(1);
        assertThat(event.get("id").asText()).isNotBlank();
    }

    @Test
    void shouldPostWeComsMarkdownMessage() throws Exception {
        String receiver = receiverName();
        subscribe(wsA, "WECOM", receiverUrl(receiver) + "?key=wecom-robot-key", null, "release.halted");

        publish(wsA, EventType.RELEASE_HALTED, "v1.0.0 (template 7)", "/wechat/releases/9");

        JsonNode delivery = awaitDeliveries(receiver, 1).get(0);
        assertThat(delivery.get("query").asText()).isEqualTo("key=wecom-robot-key");
        JsonNode body = json.readTree(delivery.get("body").asText());
        // https://developer.work.weixin.qq.com/document/path/91770: {"msgtype":"markdown","markdown":{"content":...}}
        assertThat(fieldNames(body)).containsExactly("msgtype", "markdown");
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        String content = body.get("markdown").get("content").asText();
        assertThat(content).startsWith("**<font color=\"warning\">模板发布已熔断</font>**")
            .contains("> **主题**: v1.0.0 (template 7)")
            .contains("[在 Miniflow 中查看](http://localhost:" + port + "/wechat/releases/9)");
        assertThat(content.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    }

    @Test
    void shouldSignDingTalkRobotMessagesWithTimestampAndSignInTheQuery() throws Exception {
        String receiver = receiverName();
        String secret = "SEC" + UUID.randomUUID().toString().replace("-", "");
        subscribe(wsA, "DINGTALK", receiverUrl(receiver) + "?access_token=ding-token", secret, "tenant.live");

        publish(wsA, EventType.TENANT_LIVE, "t001 Shop", "/tenants/" + wsA + "/t001");

        JsonNode delivery = awaitDeliveries(receiver, 1).get(0);
        Map<String, String> query = query(delivery.get("query").asText());
        assertThat(query).containsEntry("access_token", "ding-token").containsKeys("timestamp", "sign");
        long timestamp = Long.parseLong(query.get("timestamp"));
        // Milliseconds, within the hour DingTalk accepts.
        assertThat(Math.abs(System.currentTimeMillis() - timestamp)).isLessThan(Duration.ofMinutes(5).toMillis());
        // https://open.dingtalk.com/document/robots/customize-robot-security-settings:
        // sign = urlEncode(base64(HmacSHA256(key = secret, data = timestamp + "\n" + secret)))
        String expected = Base64.getEncoder().encodeToString(hmac(secret.getBytes(StandardCharsets.UTF_8),
            (timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
        assertThat(query.get("sign")).isEqualTo(expected);
        assertThat(rawQueryValue(delivery.get("query").asText(), "sign"))
            .isEqualTo(java.net.URLEncoder.encode(expected, StandardCharsets.UTF_8));
        JsonNode body = json.readTree(delivery.get("body").asText());
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.get("markdown").get("title").asText()).isEqualTo("租户已上线");
        assertThat(body.get("markdown").get("text").asText()).startsWith("### 租户已上线")
            .contains("- **主题**: t001 Shop")
            .contains("(http://localhost:" + port + "/tenants/" + wsA + "/t001)");
    }

    @Test
    void shouldSendFeishuASignedInteractiveCard() throws Exception {
        String receiver = receiverName();
        String secret = "feishu-" + UUID.randomUUID();
        subscribe(wsA, "FEISHU", receiverUrl(receiver), secret, "environment.deploy_failed");

        publish(wsA, EventType.ENVIRONMENT_DEPLOY_FAILED, "shop prod 2.0.0", "/environments/apps/shop");

        JsonNode body = json.readTree(awaitDeliveries(receiver, 1).get(0).get("body").asText());
        // https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot: timestamp in seconds (a string) and
        // sign = base64(HmacSHA256(key = timestamp + "\n" + secret, data = empty)).
        assertThat(fieldNames(body)).containsExactly("timestamp", "sign", "msg_type", "card");
        String timestamp = body.get("timestamp").asText();
        assertThat(body.get("timestamp").isTextual()).isTrue();
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp))).isLessThan(300);
        assertThat(body.get("sign").asText()).isEqualTo(Base64.getEncoder().encodeToString(
            hmac((timestamp + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0])));
        assertThat(body.get("msg_type").asText()).isEqualTo("interactive");
        JsonNode card = body.get("card");
        assertThat(card.at("/header/title/tag").asText()).isEqualTo("plain_text");
        assertThat(card.at("/header/title/content").asText()).isEqualTo("环境部署失败");
        assertThat(card.at("/header/template").asText()).isEqualTo("red");
        assertThat(card.at("/elements/0/tag").asText()).isEqualTo("div");
        assertThat(card.at("/elements/0/text/tag").asText()).isEqualTo("lark_md");
        assertThat(card.at("/elements/0/text/content").asText()).contains("shop prod 2.0.0");
        assertThat(card.at("/elements/1/tag").asText()).isEqualTo("action");
        assertThat(card.at("/elements/1/actions/0/tag").asText()).isEqualTo("button");
        assertThat(card.at("/elements/1/actions/0/url").asText())
            .isEqualTo("http://localhost:" + port + "/environments/apps/shop");
    }

    // --- durability

    @Test
    void shouldRetryAfterTheReceiverFailsAndLogTheAttempts() throws Exception {
        String receiver = receiverName();
        fault(receiver, 500, 2);
        long subscription = subscribe(wsA, "WEBHOOK", receiverUrl(receiver), "retry-secret-0123456789",
            "publish.failed");

        publish(wsA, EventType.PUBLISH_FAILED, "retried", "/apps/shop");

        List<JsonNode> received = awaitDeliveries(receiver, 3);
        assertThat(received).extracting(d -> d.get("status").asInt()).containsExactly(500, 500, 200);
        // The same delivery each time: its id does not change across attempts.
        assertThat(received).extracting(d -> lowerCaseKeys(d.get("headers")).path("x-miniflow-delivery").asText())
            .containsOnly(lowerCaseKeys(received.get(0).get("headers")).path("x-miniflow-delivery").asText());
        JsonNode logged = awaitLogged(wsA, "DELIVERED");
        assertThat(logged.get("attempts").asInt()).isEqualTo(3);
        assertThat(logged.get("responseCode").asInt()).isEqualTo(200);
        assertThat(logged.get("subscriptionId").asLong()).isEqualTo(subscription);
        // The subscription lists its last deliveries.
        JsonNode listed = apiGet("/api/workspaces/" + wsA + "/subscriptions").get(0);
        assertThat(listed.get("lastDeliveries").get(0).get("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldGiveUpAfterTheLastAttemptAndDeliverWhenAnAdminResendsFromTheLogPage() throws Exception {
        String receiver = receiverName();
        fault(receiver, 503, 0);
        subscribe(wsA, "WECOM", receiverUrl(receiver) + "?key=k", null, "incident.opened");

        publish(wsA, EventType.INCIDENT_OPENED, "app-publish Task_Deploy", "/processes/1");

        JsonNode failed = awaitLogged(wsA, "FAILED");
        assertThat(failed.get("attempts").asInt()).isEqualTo(3);
        assertThat(failed.get("responseCode").asInt()).isEqualTo(503);
        assertThat(failed.get("lastError").asText()).isEqualTo("HTTP 503");
        long id = failed.get("id").asLong();
        mvc.perform(delete("/sandbox/admin/receiver/" + receiver + "/faults")).andExpect(status().isOk());

        MockHttpSession admin = login("admin");
        String page = mvc.perform(get("/workspaces/" + wsA + "/notifications").param("status", "FAILED")
                .session(admin).locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String resend = "/workspaces/" + wsA + "/notifications/deliveries/" + id + "/resend";
        assertThat(page).contains(resend).contains("data-confirm=\"Send delivery #" + id + " again?\"")
            .contains("HTTP 503").contains("incident.opened");
        String zh = mvc.perform(get("/workspaces/" + wsA + "/notifications").session(admin)
                .locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(zh).contains("推送日志").contains("重新发送");

        mvc.perform(post(resend).session(admin).with(csrf()))
            .andExpect(redirectedUrlPattern("/workspaces/" + wsA + "/notifications*"));

        JsonNode delivered = awaitLogged(wsA, "DELIVERED");
        assertThat(delivered.get("id").asLong()).isEqualTo(id);
        assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
        assertThat(awaitDeliveries(receiver, 4)).extracting(d -> d.get("status").asInt())
            .containsExactly(503, 503, 503, 200);
    }

    @Test
    void shouldNotDeliverAnEventWhoseTransactionRolledBack() throws Exception {
        String receiver = receiverName();
        subscribe(wsA, "WEBHOOK", receiverUrl(receiver), "rollback-secret-0123456", "approval.decided");

        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            events.publish(wsA, EventType.APPROVAL_DECIDED, "rolled back", Events.data("n", 1), "/approvals/1");
            tx.setRollbackOnly();
        });
        publish(wsA, EventType.APPROVAL_DECIDED, "committed", "/approvals/2");

        // Once the committed one arrived, the rolled back one could only be a row of the outbox: there is none.
        JsonNode only = awaitDeliveries(receiver, 1).get(0);
        assertThat(json.readTree(only.get("body").asText()).get("subject").asText()).isEqualTo("committed");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_notify_delivery WHERE workspace = ? AND subject = ?")
            .params(wsA, "rolled back").query(Long.class).single()).isZero();
    }

    @Test
    void onlyOneNodeClaimsADelivery() throws Exception {
        long subscription = subscribe(wsA, "WEBHOOK", receiverUrl(receiverName()), "claim-secret-0123456789",
            "tenant.failed");
        // Due in an hour: this node's poller leaves it alone; the two "nodes" below claim it as of then.
        Instant later = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        repository.insertDelivery(subscription, wsA, UUID.randomUUID().toString(), "tenant.failed", "claim", "{}",
            later);
        long id = jdbc.sql("SELECT id FROM mf_notify_delivery WHERE subscription_id = ?").param(subscription)
            .query(Long.class).single();

        boolean first = repository.claim(id, "node-a", later, later.plusSeconds(60));
        boolean second = repository.claim(id, "node-b", later, later.plusSeconds(60));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        // Node a stopped: once its claim ran out, node b takes the delivery over, and node a can no longer record.
        assertThat(repository.claim(id, "node-b", later.plusSeconds(61), later.plusSeconds(120))).isTrue();
        assertThat(repository.recordAttempt(id, "node-a", DeliveryStatus.DELIVERED, 200, null, later, later)).isFalse();
        repository.deleteSubscription(subscription, Instant.now());
    }

    @Test
    void severalNodesPollingTheSameOutboxSendEachDeliveryOnce() throws Exception {
        String receiver = receiverName();
        subscribe(wsA, "WEBHOOK", receiverUrl(receiver), "nodes-secret-0123456789", "tenant.live");
        int count = 30;
        new TransactionTemplate(transactions).executeWithoutResult(tx -> {
            for (int i = 0; i < count; i++) {
                events.publish(wsA, EventType.TENANT_LIVE, "tenant " + i, Events.data("n", i), "/tenants");
            }
        });

        // Four more "nodes" (each its own name, as on separate machines) race this node's own poller.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> running = new ArrayList<>();
            for (int n = 0; n < 4; n++) {
                NotificationDelivery node = new NotificationDelivery(repository, channelMessages, webhookTargets,
                    settings, java.time.Clock.systemUTC());
                running.add(pool.submit(() -> {
                    for (int round = 0; round < 20; round++) {
                        node.deliverDue();
                    }
                }));
            }
            for (var r : running) {
                r.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Awaitility.await().atMost(DEADLINE).until(() -> jdbc.sql("SELECT COUNT(*) FROM mf_notify_delivery WHERE"
            + " workspace = ? AND status = 'DELIVERED'").param(wsA).query(Long.class).single() == count);
        List<String> subjects = new ArrayList<>();
        receiver(receiver).get("deliveries").forEach(d -> subjects.add(subject(d)));
        assertThat(subjects).hasSize(count).doesNotHaveDuplicates();
        assertThat(jdbc.sql("SELECT MAX(attempts) FROM mf_notify_delivery WHERE workspace = ?").param(wsA)
            .query(Integer.class).single()).isEqualTo(1);
    }

    // --- workspaces and the events of the features

    @Test
    void aSubscriptionNeverReceivesAnotherWorkspacesEvents() throws Exception {
        String receiverA = receiverName();
        String receiverB = receiverName();
        subscribe(wsA, "WEBHOOK", receiverUrl(receiverA), "isolation-secret-a-0123", "publish.succeeded");
        long b = subscribe(wsB, "WEBHOOK", receiverUrl(receiverB), "isolation-secret-b-0123", "publish.succeeded");

        publish(wsB, EventType.PUBLISH_SUCCEEDED, "of B", "/apps/b");
        publish(wsA, EventType.PUBLISH_SUCCEEDED, "of A", "/apps/a");

        assertThat(awaitDeliveries(receiverA, 1)).extracting(d -> subject(d)).containsExactly("of A");
        assertThat(awaitDeliveries(receiverB, 1)).extracting(d -> subject(d)).containsExactly("of B");
        // A's API neither lists nor removes B's subscription.
        List<Long> listedByA = new ArrayList<>();
        apiGet("/api/workspaces/" + wsA + "/subscriptions").forEach(s -> listedByA.add(s.get("id").asLong()));
        assertThat(listedByA).hasSize(1).doesNotContain(b);
        mvc.perform(delete("/api/workspaces/" + wsA + "/subscriptions/" + b).with(httpBasic("admin", "admin")))
            .andExpect(status().isNotFound());
        JsonNode logOfA = apiGet("/api/workspaces/" + wsA + "/notification-deliveries");
        assertThat(logOfA.get("items").findValuesAsText("subject")).containsExactly("of A");
    }

    @Test
    void anApplicationAnnouncesApprovalRequestedToItsWorkspace() throws Exception {
        String receiver = receiverName();
        long id = subscribe("Demo", "WEBHOOK", receiverUrl(receiver), "approval-secret-0123456", "approval.requested");
        String title = "Notify " + UUID.randomUUID().toString().substring(0, 8);
        try {
            mvc.perform(post("/api/approvals").with(httpBasic("developer", "developer"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"workspace\":\"Demo\",\"category\":\"FEATURE\",\"title\":\"" + title + "\","
                        + "\"objectName\":\"notifyapp\",\"objectVersion\":\"1.0.0\"}"))
                .andExpect(status().isAccepted());

            JsonNode event = Awaitility.await().atMost(DEADLINE).until(() -> receiver(receiver).get("deliveries")
                    .findValuesAsText("body").stream().map(this::readTree)
                    .filter(e -> title.equals(e.get("subject").asText())).findFirst().orElse(null),
                e -> e != null);
            assertThat(event.get("event").asText()).isEqualTo("approval.requested");
            assertThat(event.get("data").get("applicant").asText()).isEqualTo("developer");
            assertThat(event.get("link").asText()).startsWith("http://localhost:" + port + "/approvals/");
        } finally {
            mvc.perform(delete("/api/workspaces/Demo/subscriptions/" + id).with(httpBasic("admin", "admin")))
                .andExpect(status().isNoContent());
        }
    }

    @Test
    void aPublishThatGoesOnlineAnnouncesPublishSucceeded() throws Exception {
        String receiver = receiverName();
        long subscription = subscribe("Demo", "WECOM", receiverUrl(receiver), null, "publish.succeeded");
        String app = "nt" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try {
            String instance = io.miniflow.app.DemoApps.publishingToDev(mvc, app, "1.0.0").get("processInstanceId")
                .asText();

            JsonNode body = Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> receiver(receiver)
                    .get("deliveries").findValuesAsText("body").stream().map(this::readTree)
                    .filter(b -> b.at("/markdown/content").asText().contains(app)).findFirst().orElse(null),
                b -> b != null);
            assertThat(body.at("/markdown/content").asText()).contains("发布成功").contains(app + " 1.0.0 → dev")
                .contains("/apps/" + app + "/environments/dev/publishes/" + instance + ")");
        } finally {
            mvc.perform(delete("/api/workspaces/Demo/subscriptions/" + subscription).with(httpBasic("admin", "admin")))
                .andExpect(status().isNoContent());
        }
    }

    @Test
    void theApprovalReminderIsAnEventToo() throws Exception {
        String receiver = receiverName();
        long subscription = subscribe("Demo", "DINGTALK", receiverUrl(receiver), null, "approval.reminder");
        String title = "Remind " + UUID.randomUUID().toString().substring(0, 8);
        try {
            long approval = json.readTree(mvc.perform(post("/api/approvals").with(httpBasic("developer", "developer"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .content("{\"workspace\":\"Demo\",\"category\":\"FEATURE\",\"title\":\"" + title + "\","
                        + "\"objectName\":\"notifyapp\",\"objectVersion\":\"1.0.0\"}"))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString())
                .get("approvalId").asLong();
            String instance = jdbc.sql("SELECT process_instance_id FROM mf_approval WHERE id = ?").param(approval)
                .query(String.class).single();
            managementService.executeJob(managementService.createJobQuery().processInstanceId(instance).timers()
                .activityId("BoundaryEvent_ReminderDue").singleResult().getId());

            JsonNode body = Awaitility.await().atMost(DEADLINE).until(() -> receiver(receiver).get("deliveries")
                    .findValuesAsText("body").stream().map(this::readTree)
                    .filter(b -> b.at("/markdown/text").asText().contains(title)).findFirst().orElse(null),
                b -> b != null);
            assertThat(body.at("/markdown/title").asText()).isEqualTo("审批待处理提醒");
            assertThat(body.at("/markdown/text").asText()).contains("/approvals/" + approval + ")");
        } finally {
            mvc.perform(delete("/api/workspaces/Demo/subscriptions/" + subscription).with(httpBasic("admin", "admin")))
                .andExpect(status().isNoContent());
        }
    }

    @Test
    void anIncidentOfAWorkspacesProcessIsAnnounced() throws Exception {
        String receiver = receiverName();
        subscribe(wsA, "WEBHOOK", receiverUrl(receiver), "incident-secret-0123456", "incident.opened");
        repositoryService.createDeployment().addModelInstance("notify-incident-probe.bpmn",
            Bpmn.createExecutableProcess("notifyIncidentProbe").camundaHistoryTimeToLive(1)
                .startEvent().serviceTask("Task_Fail").camundaAsyncBefore().camundaFailedJobRetryTimeCycle("R1/PT0S")
                .camundaExpression("${notifyProbeBeanThatDoesNotExist.fail()}").endEvent().done()).deploy();

        String instance = runtimeService.startProcessInstanceByKey("notifyIncidentProbe", Map.of("workspace", wsA))
            .getId();

        JsonNode event = json.readTree(awaitDeliveries(receiver, 1).get(0).get("body").asText());
        assertThat(event.get("event").asText()).isEqualTo("incident.opened");
        assertThat(event.get("data").get("processInstanceId").asText()).isEqualTo(instance);
        assertThat(event.get("data").get("activityId").asText()).isEqualTo("Task_Fail");
        assertThat(event.get("link").asText()).endsWith("/processes/" + instance);
        runtimeService.deleteProcessInstance(instance, "test done");
    }

    // --- the API's rules

    @Test
    void theApiRefusesBadSubscriptionsFieldByField() throws Exception {
        String base = "/api/workspaces/" + wsA + "/subscriptions";
        mvc.perform(post(base).with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"events\":[\"approval.requested\",\"coffee.brewed\"],\"channel\":\"PIGEON\","
                    + "\"url\":\"ftp://example.com/x\"}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'events[1]')].message_en").value("Unknown event \"coffee.brewed\"."))
            .andExpect(jsonPath("$.errors[?(@.field == 'events[1]')].message_zh").value("未知事件“coffee.brewed”。"))
            .andExpect(jsonPath("$.errors[?(@.field == 'channel')].message_zh").isNotEmpty())
            .andExpect(jsonPath("$.errors[?(@.field == 'url')].message_en").isNotEmpty());
        // An internal address is refused by the webhook rules (the sandbox allows only localhost).
        mvc.perform(post(base).with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"events\":[\"approval.requested\"],\"channel\":\"WEBHOOK\","
                    + "\"url\":\"http://10.1.2.3/hook\",\"secret\":\"short\"}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'url')].message_en").value(org.hamcrest.Matchers.hasItem(
                org.hamcrest.Matchers.containsString("internal address 10.1.2.3"))))
            .andExpect(jsonPath("$.errors[?(@.field == 'secret')].message_zh").isNotEmpty());
        mvc.perform(post(base).with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"events\":[],\"channel\":\"WECOM\",\"url\":\"" + receiverUrl("x") + "\","
                    + "\"secret\":\"unused\"}"))
            .andExpect(status().isBadRequest())
            .andExpect(jsonPath("$.errors[?(@.field == 'events')]").isNotEmpty())
            .andExpect(jsonPath("$.errors[?(@.field == 'secret')]").isNotEmpty());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM mf_notify_subscription WHERE workspace = ?").param(wsA)
            .query(Long.class).single()).isZero();
    }

    @Test
    void onlyWorkspaceAdminsManageSubscriptionsAndSecretsAreNeverShown() throws Exception {
        String secret = "never-shown-secret-0123456789";
        String body = "{\"events\":[\"approval.requested\"],\"channel\":\"WEBHOOK\",\"url\":\""
            + receiverUrl(receiverName()) + "\",\"secret\":\"" + secret + "\"}";
        // developer and reviewer are members of Demo, not its admins.
        for (String user : List.of("developer", "reviewer")) {
            mvc.perform(post("/api/workspaces/Demo/subscriptions").with(httpBasic(user, user))
                    .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());
            mvc.perform(get("/api/workspaces/Demo/subscriptions").with(httpBasic(user, user)))
                .andExpect(status().isForbidden());
            mvc.perform(get("/workspaces/Demo/notifications").session(login(user)))
                .andExpect(status().isForbidden());
        }
        mvc.perform(post("/api/workspaces/NoSuchWorkspace/subscriptions").with(httpBasic("admin", "admin"))
                .contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isNotFound());

        MvcResult created = mvc.perform(post("/api/workspaces/" + wsA + "/subscriptions")
                .with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON).content(body))
            .andExpect(status().isCreated()).andReturn();
        assertThat(created.getResponse().getContentAsString()).doesNotContain(secret).contains("\"signed\":true");
        String listed = mvc.perform(get("/api/workspaces/" + wsA + "/subscriptions").with(httpBasic("admin", "admin")))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(listed).doesNotContain(secret);
        // Stored encrypted.
        assertThat(jdbc.sql("SELECT secret FROM mf_notify_subscription WHERE workspace = ?").param(wsA)
            .query(String.class).single()).startsWith("mf1:");
        long id = json.readTree(created.getResponse().getContentAsString()).get("id").asLong();
        mvc.perform(delete("/api/workspaces/" + wsA + "/subscriptions/" + id).with(httpBasic("admin", "admin")))
            .andExpect(status().isNoContent());
        mvc.perform(delete("/api/workspaces/" + wsA + "/subscriptions/" + id).with(httpBasic("admin", "admin")))
            .andExpect(status().isNotFound());
    }

    @Test
    void anAdminSubscribesOnTheConsolePageWithTheApisRules() throws Exception {
        MockHttpSession admin = login("admin");
        String page = "/workspaces/" + wsB + "/notifications";
        mvc.perform(post(page + "/subscriptions").session(admin).with(csrf()).locale(Locale.ENGLISH)
                .param("channel", "WEBHOOK").param("url", "http://10.9.8.7/hook").param("events", "approval.requested"))
            .andExpect(redirectedUrlPattern(page + "*"))
            .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash().attribute("error",
                org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("10.9.8.7"),
                    org.hamcrest.Matchers.containsString("needs a secret"))));
        assertThat(apiGet("/api/workspaces/" + wsB + "/subscriptions")).isEmpty();

        mvc.perform(post(page + "/subscriptions").session(admin).with(csrf()).param("channel", "FEISHU")
                .param("url", receiverUrl(receiverName())).param("events", "tenant.live", "tenant.failed"))
            .andExpect(redirectedUrlPattern(page + "*"));
        JsonNode created = apiGet("/api/workspaces/" + wsB + "/subscriptions").get(0);
        assertThat(created.get("channel").asText()).isEqualTo("FEISHU");
        assertThat(created.get("events").toString()).isEqualTo("[\"tenant.live\",\"tenant.failed\"]");
        String shown = mvc.perform(get(page).session(admin).locale(Locale.SIMPLIFIED_CHINESE))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(shown).contains("飞书机器人").contains("tenant.live, tenant.failed")
            .contains("data-confirm=\"删除订阅 #" + created.get("id").asLong());
    }

    @Test
    void theLogPageSaysWhenNothingWasDeliveredYet() throws Exception {
        String page = mvc.perform(get("/workspaces/" + wsB + "/notifications").session(login("admin"))
                .locale(Locale.ENGLISH))
            .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("No subscriptions yet.").contains("No deliveries match.");
    }

    // --- helpers

    private void publish(String workspace, EventType type, String subject, String path) {
        new TransactionTemplate(transactions).executeWithoutResult(tx ->
            events.publish(workspace, type, subject, Events.data("n", 1), path));
    }

    private long subscribe(String workspace, String channel, String url, String secret, String... eventTypes)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", List.of(eventTypes));
        body.put("channel", channel);
        body.put("url", url);
        if (secret != null) {
            body.put("secret", secret);
        }
        MvcResult result = mvc.perform(post("/api/workspaces/" + workspace + "/subscriptions")
                .with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content(json.writeValueAsString(body)))
            .andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(201);
        return json.readTree(result.getResponse().getContentAsString()).get("id").asLong();
    }

    private String workspace() throws Exception {
        String name = "Nt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String user = name.toLowerCase(Locale.ROOT);
        User u = identityService.newUser(user);
        u.setPassword(user);
        u.setEmail(user + "@example.com");
        identityService.saveUser(u);
        mvc.perform(post("/api/workspaces").with(httpBasic("admin", "admin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + name + "\",\"businessScope\":\"5734\",\"address\":\"1 Road\","
                    + "\"representativeName\":\"Rep\",\"representativeEmail\":\"" + user + "@example.com\"}"))
            .andDo(r -> assertThat(r.getResponse().getStatus()).as(r.getResponse().getContentAsString())
                .isEqualTo(201));
        return name;
    }

    private String receiverName() {
        return "notify-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String receiverUrl(String name) {
        return "http://localhost:" + port + "/sandbox/receiver/" + name;
    }

    private void fault(String receiver, int status, int count) throws Exception {
        mvc.perform(post("/sandbox/admin/receiver/" + receiver + "/faults").contentType(MediaType.APPLICATION_JSON)
                .content("{\"status\":" + status + ",\"count\":" + count + "}"))
            .andExpect(status().isOk());
    }

    private JsonNode receiver(String name) throws Exception {
        return json.readTree(mvc.perform(get("/sandbox/admin/receiver/" + name)).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString());
    }

    /** Waits until the receiver got exactly {@code count} requests (and a moment for none more to be in flight). */
    private List<JsonNode> awaitDeliveries(String name, int count) {
        return Awaitility.await().atMost(DEADLINE).until(() -> {
            List<JsonNode> all = new ArrayList<>();
            receiver(name).get("deliveries").forEach(all::add);
            return all;
        }, all -> all.size() >= count).subList(0, count);
    }

    /** The workspace's newest delivery once it has this status. */
    private JsonNode awaitLogged(String workspace, String status) {
        return Awaitility.await().atMost(DEADLINE).until(() -> apiGet("/api/workspaces/" + workspace
            + "/notification-deliveries?status=" + status).get("items"), items -> items.size() > 0).get(0);
    }

    private JsonNode apiGet(String url) throws Exception {
        return json.readTree(mvc.perform(get(url).with(httpBasic("admin", "admin"))).andExpect(status().isOk())
            .andReturn().getResponse().getContentAsString());
    }

    private MockHttpSession login(String user) throws Exception {
        return (MockHttpSession) mvc.perform(post("/login").with(csrf()).param("username", user).param("password", user))
            .andExpect(redirectedUrlPattern("/**")).andReturn().getRequest().getSession();
    }

    private String subject(JsonNode delivery) {
        return readTree(delivery.get("body").asText()).get("subject").asText();
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode lowerCaseKeys(JsonNode headers) {
        var out = json.createObjectNode();
        headers.fields().forEachRemaining(e -> out.set(e.getKey().toLowerCase(Locale.ROOT), e.getValue()));
        return out;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Map<String, String> query(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String p : query.split("&")) {
            int eq = p.indexOf('=');
            params.put(p.substring(0, eq), URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }

    private static String rawQueryValue(String query, String name) {
        for (String p : query.split("&")) {
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
