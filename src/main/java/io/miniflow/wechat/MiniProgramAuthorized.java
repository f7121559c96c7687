package io.miniflow.wechat;

/**
 * WeChat pushed {@code authorized} (or {@code updateauthorized}): a merchant authorized this mini program through
 * the link of this pre_auth_code (null when the authorization did not come through a link of Miniflow's).
 */
public record MiniProgramAuthorized(String appId, String preAuthCode) {
}
