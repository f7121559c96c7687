package io.miniflow.notify;

/**
 * Where a subscription delivers: a generic JSON webhook signed with the subscription's secret, or a group robot of
 * WeCom (企业微信), DingTalk (钉钉) or Feishu (飞书) in its own message format (ChannelMessages).
 */
public enum Channel {
    WEBHOOK, WECOM, DINGTALK, FEISHU;

    /** The generic webhook is always signed; the robots sign when their secret is set (WeCom has none: its key is in the URL). */
    boolean requiresSecret() {
        return this == WEBHOOK;
    }

    boolean takesSecret() {
        return this != WECOM;
    }
}
