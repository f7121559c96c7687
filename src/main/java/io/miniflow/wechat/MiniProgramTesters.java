package io.miniflow.wechat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramAccess;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;

/**
 * The experience version's testers of one mini program, and its QR code: bind_tester, unbind_tester and memberauth
 * on WeChat, with the WeChat ID each tester was bound by remembered in mf_mp_tester (WeChat lists only a userstr).
 * WeChat's refusals (85001–85004, ...) reach people translated ({@link #refusal}).
 */
@Service
public class MiniProgramTesters {

    /** A WeChat ID as WeChat allows one: 6–20 letters, digits, '_' or '-', starting with a letter. */
    static final String WECHAT_ID_REGEX = "[A-Za-z][A-Za-z0-9_-]{5,19}";
    static final String USERSTR_REGEX = "[A-Za-z0-9_-]{1,128}";
    static final int PATH_MAX = 200;

    private final WechatClient client;
    private final MiniProgramAccess access;
    private final JdbcClient jdbc;
    private final AuditLog auditLog;
    private final Clock clock;

    MiniProgramTesters(WechatClient client, MiniProgramAccess access, JdbcClient jdbc, AuditLog auditLog, Clock clock) {
        this.client = client;
        this.access = access;
        this.jdbc = jdbc;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    public record Tester(String userstr, String wechatId, String boundBy, Instant boundAt) {
    }

    /** The testers WeChat lists, each with the WeChat ID Miniflow bound it by (null for ones bound elsewhere). */
    public List<Tester> list(CurrentUser user, String appId) {
        access.requireViewer(user, appId);
        return list(appId);
    }

    List<Tester> list(String appId) {
        List<String> members = call(() -> client.testers(appId));
        Map<String, Tester> known = new LinkedHashMap<>();
        jdbc.sql("SELECT userstr, wechat_id, bound_by, bound_at FROM mf_mp_tester WHERE app_id = ?").param(appId)
            .query((rs, i) -> new Tester(rs.getString("userstr"), rs.getString("wechat_id"), rs.getString("bound_by"),
                rs.getTimestamp("bound_at").toInstant()))
            .list().forEach(t -> known.put(t.userstr(), t));
        return members.stream().map(u -> known.getOrDefault(u, new Tester(u, null, null, null))).toList();
    }

    /** Binds a WeChat ID as tester; a malformed ID is refused before WeChat is asked. */
    public Tester bind(CurrentUser user, String appId, String wechatId) {
        Optional<String> workspace = access.requireChanger(user, appId);
        String id = wechatId == null ? null : wechatId.trim();
        if (id == null || id.isEmpty()) {
            throw MiniflowException.badRequest("tester.wechatId.required");
        }
        if (!id.matches(WECHAT_ID_REGEX)) {
            throw MiniflowException.badRequest("tester.wechatId.pattern", id);
        }
        String userstr = call(() -> client.bindTester(appId, id));
        Instant now = Instant.now(clock);
        jdbc.sql("DELETE FROM mf_mp_tester WHERE app_id = ? AND userstr = ?").params(appId, userstr).update();
        jdbc.sql("INSERT INTO mf_mp_tester (app_id, userstr, wechat_id, bound_by, bound_at) VALUES (?, ?, ?, ?, ?)")
            .params(appId, userstr, id, user.username(), Timestamp.from(now)).update();
        auditLog.record(user.username(), "MINI_PROGRAM_TESTER_BOUND", "mini-program", appId, workspace.orElse(null),
            id);
        return new Tester(userstr, id, user.username(), now);
    }

    /** Unbinds a tester by the userstr the list shows; 404 when the mini program has no such tester. */
    public void unbind(CurrentUser user, String appId, String userstr) {
        Optional<String> workspace = access.requireChanger(user, appId);
        if (userstr == null || !userstr.matches(USERSTR_REGEX)) {
            throw MiniflowException.badRequest("tester.userstr.pattern");
        }
        if (!call(() -> client.testers(appId)).contains(userstr)) {
            throw MiniflowException.notFound("tester.notFound", userstr, appId);
        }
        call(() -> {
            client.unbindTester(appId, userstr);
            return null;
        });
        jdbc.sql("DELETE FROM mf_mp_tester WHERE app_id = ? AND userstr = ?").params(appId, userstr).update();
        auditLog.record(user.username(), "MINI_PROGRAM_TESTER_UNBOUND", "mini-program", appId,
            workspace.orElse(null), userstr);
    }

    /** The experience version's QR code (JPEG), opening at {@code path} when given. */
    public byte[] qrCode(CurrentUser user, String appId, String path) {
        access.requireViewer(user, appId);
        String p = path == null || path.isBlank() ? null : path.trim();
        if (p != null && (p.length() > PATH_MAX || !p.matches("[A-Za-z0-9_./?=&%-]+"))) {
            throw MiniflowException.badRequest("qrcode.path.pattern");
        }
        return call(() -> client.qrCode(appId, p));
    }

    /** A WeChat refusal as a person-facing 4xx (5xx when trying again later may help), in their language. */
    static MiniflowException refusal(WechatApiException e) {
        HttpStatus status = e.retryable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.UNPROCESSABLE_ENTITY;
        return new MiniflowException(status, e.messageKey(), String.valueOf(e.errcode()), e.errmsg());
    }

    static <T> T call(java.util.function.Supplier<T> platformCall) {
        try {
            return platformCall.get();
        } catch (WechatApiException e) {
            throw refusal(e);
        }
    }
}
