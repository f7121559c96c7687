-- Team keys (团队密钥) of the OpenAPI: a workspace's appId + appSecret, the secret encrypted with SecretBox
-- (mf1:..., io.miniflow.openapi.OpenApiKeyStore). At most two active keys per workspace (checked by the service
-- under a lock on the workspace's row); revoked keys stay for the record.
CREATE TABLE mf_openapi_key (
    app_id       VARCHAR(32)  NOT NULL PRIMARY KEY,
    workspace    VARCHAR(64)  NOT NULL,
    secret       VARCHAR(255) NOT NULL,
    created_by   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    revoked_at   TIMESTAMP,
    revoked_by   VARCHAR(64),
    last_used_at TIMESTAMP
);
CREATE INDEX ix_openapi_key_workspace ON mf_openapi_key (workspace);

-- Nonces of accepted signed requests, shared by all nodes: the primary key refuses a second use. Millisecond
-- precision so that "within 10 minutes" and the 300 s timestamp window leave no gap a replay could slip through.
-- Rows older than 10 minutes are deleted (OpenApiNonces).
CREATE TABLE mf_openapi_nonce (
    app_id  VARCHAR(32)  NOT NULL,
    nonce   VARCHAR(64)  NOT NULL,
    seen_at TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (app_id, nonce)
);
CREATE INDEX ix_openapi_nonce_seen ON mf_openapi_nonce (seen_at);
