package io.miniflow.release;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.history.HistoricVariableInstance;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.miniflow.identity.CurrentUser;
import io.miniflow.release.MiniProgramCodePort.ReleasedVersion;
import io.miniflow.shared.AuditLog;
import io.miniflow.shared.MiniflowException;
import io.miniflow.shared.ProtectedVariables;

/**
 * One mini program's versions and the rollback to a chosen one. The rollback runs as wechat-mp-rollback (the same
 * process and delegate a batch's rollback uses), started with the chosen app_version and the authenticated user, so
 * the history shows who rolled back to what and the engine's retries never revert twice.
 */
@Service
public class MiniProgramRollbacks {

    private final MiniProgramAccess access;
    private final MiniProgramCodePort platform;
    private final RuntimeService runtimeService;
    private final HistoryService historyService;
    private final AuditLog auditLog;

    MiniProgramRollbacks(MiniProgramAccess access, MiniProgramCodePort platform, RuntimeService runtimeService,
                         HistoryService historyService, AuditLog auditLog) {
        this.access = access;
        this.platform = platform;
        this.runtimeService = runtimeService;
        this.historyService = historyService;
        this.auditLog = auditLog;
    }

    /** A version of the history, and whether it is the one online now (which cannot be rolled back to). */
    public record VersionView(int appVersion, String userVersion, String description, long commitTime, boolean online) {
    }

    public record Started(String processInstanceId, String statusUrl) {
    }

    /** The versions the platform keeps for rollback, newest first, the online one marked. */
    public List<VersionView> versions(CurrentUser user, String appId) {
        access.requireViewer(user, appId);
        return versions(appId);
    }

    private List<VersionView> versions(String appId) {
        String online = platform.versionInfo(appId).releaseVersion();
        List<ReleasedVersion> history = platform.releasedVersions(appId);
        // The newest entry with the online user_version is what runs now.
        Integer onlineAppVersion = history.stream().filter(v -> v.userVersion().equals(online))
            .map(ReleasedVersion::appVersion).findFirst().orElse(null);
        return history.stream().map(v -> new VersionView(v.appVersion(), v.userVersion(), v.description(),
            v.commitTime(), onlineAppVersion != null && onlineAppVersion == v.appVersion())).toList();
    }

    /**
     * Starts the rollback of this mini program to {@code appVersion}. Refused before anything starts: a version not
     * in the history (400), the one online now, a phased release running, another rollback of it running (409).
     */
    @Transactional
    public Started rollBack(CurrentUser user, String appId, Integer appVersion) {
        Optional<String> workspace = access.requireChanger(user, appId);
        if (appVersion == null) {
            throw MiniflowException.badRequest("miniProgram.appVersion.required");
        }
        List<VersionView> history = versions(appId);
        VersionView target = history.stream().filter(v -> v.appVersion() == appVersion).findFirst()
            .orElseThrow(() -> MiniflowException.badRequest("miniProgram.appVersion.unknown", appVersion, appId));
        if (target.online()) {
            throw MiniflowException.conflict("miniProgram.appVersion.online", target.userVersion());
        }
        if (platform.grayPercentage(appId) > 0) {
            throw MiniflowException.conflict("miniProgram.rollback.grayRunning", appId);
        }
        if (runtimeService.createProcessInstanceQuery().processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY)
                .variableValueEquals(ReleaseVariables.APP_ID.name(), appId).count() > 0) {
            throw MiniflowException.conflict("miniProgram.rollback.running", appId);
        }
        String online = history.stream().filter(VersionView::online).map(VersionView::userVersion).findFirst()
            .orElse(platform.versionInfo(appId).releaseVersion());
        Map<String, Object> vars = new HashMap<>();
        workspace.ifPresent(ws -> vars.put(ReleaseVariables.WORKSPACE.name(), ws));
        vars.put(ReleaseVariables.APP_ID.name(), appId);
        vars.put(ReleaseVariables.USER_VERSION.name(), online == null ? "" : online);
        vars.put(ReleaseVariables.ROLLBACK_APP_VERSION.name(), appVersion);
        vars.put(ReleaseVariables.ROLLBACK_REQUESTED_BY.name(), user.username());
        String pid = ProtectedVariables.asMiniflow(() -> runtimeService.startProcessInstanceByKey(
            BatchVariables.ROLLBACK_PROCESS_KEY, "rollback-" + appId + "-to-" + appVersion, vars).getId());
        auditLog.record(user.username(), "MINI_PROGRAM_ROLLBACK_REQUESTED", "mini-program", appId,
            workspace.orElse(null), online + " -> " + target.userVersion() + " (app_version " + appVersion + ")");
        return new Started(pid, statusUrl(appId, pid));
    }

    /** The state of a rollback this mini program's page or API started. */
    public Map<String, Object> status(CurrentUser user, String appId, String processInstanceId) {
        access.requireViewer(user, appId);
        HistoricProcessInstance instance = historyService.createHistoricProcessInstanceQuery()
            .processInstanceId(processInstanceId).processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY)
            .variableValueEquals(ReleaseVariables.APP_ID.name(), appId).singleResult();
        if (instance == null) {
            throw MiniflowException.notFound("miniProgram.rollback.notFound", processInstanceId);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("processInstanceId", instance.getId());
        view.put("appId", appId);
        view.put("state", instance.getState());
        view.put("startedAt", instance.getStartTime());
        view.put("endedAt", instance.getEndTime());
        for (HistoricVariableInstance v : historyService.createHistoricVariableInstanceQuery()
                .processInstanceId(instance.getId()).list()) {
            switch (v.getName()) {
                case "rollbackAppVersion" -> view.put("appVersion", v.getValue());
                case "rollbackRequestedBy" -> view.put("requestedBy", v.getValue());
                case "rollbackTarget" -> view.put("result", v.getValue());
                default -> { }
            }
        }
        return view;
    }

    /** The latest rollbacks of this mini program (any way they were started), newest first, for its page. */
    public List<Map<String, Object>> recent(String appId, int max) {
        return historyService.createHistoricProcessInstanceQuery()
            .processDefinitionKey(BatchVariables.ROLLBACK_PROCESS_KEY)
            .variableValueEquals(ReleaseVariables.APP_ID.name(), appId).orderByProcessInstanceStartTime().desc()
            .listPage(0, max).stream().map(i -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("processInstanceId", i.getId());
                row.put("state", i.getState());
                row.put("startedAt", i.getStartTime());
                row.put("startedBy", historyService.createHistoricVariableInstanceQuery().processInstanceId(i.getId())
                    .variableName("rollbackRequestedBy").list().stream().map(v -> (Object) v.getValue()).findFirst()
                    .orElse(null));
                row.put("appVersion", historyService.createHistoricVariableInstanceQuery()
                    .processInstanceId(i.getId()).variableName("rollbackAppVersion").list().stream()
                    .map(v -> (Object) v.getValue()).findFirst().orElse(null));
                return row;
            }).toList();
    }

    private static String statusUrl(String appId, String pid) {
        return "/api/wechat/mini-programs/" + appId + "/rollbacks/" + pid;
    }
}
