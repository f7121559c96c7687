-- App keys (seed 004): each app's Mini Program Accessing Key (kind ACCESS, container SDKs) and Upload Key (kind
-- UPLOAD, signs bundles uploaded to the console). The secret is encrypted with SecretBox (mf1:...,
-- io.miniflow.app.AppKeyStore). A rotated key keeps working until expires_at (the configured overlap); a revoked key
-- stops at once. No foreign key to mf_app: deleting an app deletes its keys itself (AppKeyStore.deleteOfApp).
CREATE TABLE mf_app_key (
    key_id       VARCHAR(32)  NOT NULL PRIMARY KEY,
    app_id       BIGINT       NOT NULL,
    kind         VARCHAR(16)  NOT NULL,
    secret       VARCHAR(255) NOT NULL,
    created_by   VARCHAR(64)  NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    replaced_by  VARCHAR(32),
    expires_at   TIMESTAMP,
    revoked_at   TIMESTAMP,
    revoked_by   VARCHAR(64),
    last_used_at TIMESTAMP
);
CREATE INDEX ix_app_key_app ON mf_app_key (app_id, kind);

-- Signatures of accepted uploads: the primary key refuses the same signed upload a second time (a replay inside the
-- timestamp window). Rows older than the window are deleted (AppUploads).
CREATE TABLE mf_app_upload_signature (
    key_id    VARCHAR(32)  NOT NULL,
    signature VARCHAR(64)  NOT NULL,
    seen_at   TIMESTAMP(3) NOT NULL,
    PRIMARY KEY (key_id, signature)
);
CREATE INDEX ix_app_upload_signature_seen ON mf_app_upload_signature (seen_at);

-- The bundle of a version uploaded with an Upload Key, with its SHA-256 as signed.
CREATE TABLE mf_app_bundle (
    version_id  BIGINT      NOT NULL PRIMARY KEY,
    key_id      VARCHAR(32) NOT NULL,
    sha256      CHAR(64)    NOT NULL,
    size_bytes  BIGINT      NOT NULL,
    content     LONGBLOB    NOT NULL,
    uploaded_at TIMESTAMP   NOT NULL,
    CONSTRAINT fk_app_bundle_version FOREIGN KEY (version_id) REFERENCES mf_app_version (id) ON DELETE CASCADE
);

-- Mini programs a Mini Program Admin is assigned to ("Assigned to Mini Program", seed 004), per workspace. A member
-- with no row is unassigned: as before, they act on every mini program of the workspace (docs/wechat-releases.md).
CREATE TABLE mf_member_mini_program (
    workspace_id BIGINT      NOT NULL,
    username     VARCHAR(64) NOT NULL,
    app_id       VARCHAR(64) NOT NULL,
    assigned_by  VARCHAR(64) NOT NULL,
    assigned_at  TIMESTAMP   NOT NULL,
    PRIMARY KEY (workspace_id, username, app_id)
);
