package io.miniflow.sandbox.wechat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the emulated platform remembers about one authorized mini program's code: the experience version, the online
 * version and its history, the phased release, domains, privacy settings and the undo counters. Stored as JSON in
 * {@code sandbox_wechat_authorizer.state_json} and changed under a per-appid lock.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
class AppState {

    /** A version that was online at some point (revertcoderelease's history). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    static class Released {
        public int appVersion;
        public String userVersion;
        public String userDesc;
        public long commitTime;
        public long releaseTime;
    }

    // experience version (last commit)
    public Long templateId;
    public String extJson;
    public String expVersion;
    public String expDesc;
    public long expTime;
    public long privacyScanDoneAtMillis;

    // online version
    public Released online;
    public final List<Released> history = new ArrayList<>();
    public int nextAppVersion = 1;
    public boolean lastActionWasRevert;
    public long releasedAuditId;

    // phased release
    public int grayPercentage;
    public int grayStatus; // 0 none/initial, 1 running, 3 finished, 4 deleted
    public long grayCreate;
    public boolean grayExperiencerFirst;
    public boolean grayDebugerFirst;
    public Released grayBase;

    public int visitStatus = 1;

    // undo counters (Beijing date / month)
    public String undoDay;
    public int undoDayCount;
    public String undoMonth;
    public int undoMonthCount;

    public final Map<String, List<String>> domains = new LinkedHashMap<>();
    public final Map<String, List<String>> directDomains = new LinkedHashMap<>();
    public final List<String> webviewDomains = new ArrayList<>();
    public JsonNode privacyDev;
    public JsonNode privacyLive;
    public int speedupsThisMonth;
    public String speedupMonth;
    public final List<Long> spedUpAudits = new ArrayList<>();

    /** Experience-version testers (bind_tester): WeChat ID → the userstr memberauth lists. */
    public final Map<String, String> testers = new LinkedHashMap<>();
}
