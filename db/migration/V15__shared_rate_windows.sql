-- The WeChat call rate counted for all nodes together: one row per limiter and second, whose used count nodes raise
-- by a few permits at a time with a conditional update (io.miniflow.wechat.WechatRateLimit). Rows older than a
-- minute are deleted as new seconds begin.
CREATE TABLE mf_rate_window (
    limiter   VARCHAR(64) NOT NULL,
    second_of BIGINT      NOT NULL,
    used      INT         NOT NULL,
    PRIMARY KEY (limiter, second_of)
);
