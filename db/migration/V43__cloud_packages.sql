-- Release packages of cloud apps (io.miniflow.cloudapp.pkg, issue 15): one row per uploaded package, checked against
-- the app's runtime before it was accepted. The file itself lives in the PackageStore under storage_key.
-- version: unique per app (default vYYYYMMDDHHMMSS). sha256: lowercase hex of the stored bytes.
-- nginx_test / nginx_prod: the package path of the environment's nginx configuration where seed 001 says the runtime
-- keeps it, null when the package brings none (the default configuration is used).
-- running_in: where it runs now (test, prod or "test,prod"), set by deploys; first_deployed_at: null while never
-- deployed — only such a package may be deleted.
CREATE TABLE mf_cloud_package (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id            BIGINT        NOT NULL,
    version           VARCHAR(50)   NOT NULL,
    file_name         VARCHAR(255),
    size_bytes        BIGINT        NOT NULL,
    sha256            VARCHAR(64)   NOT NULL,
    storage_key       VARCHAR(200)  NOT NULL,
    nginx_test        VARCHAR(255),
    nginx_prod        VARCHAR(255),
    uploaded_by       VARCHAR(64)   NOT NULL,
    uploaded_at       TIMESTAMP     NOT NULL,
    running_in        VARCHAR(16),
    first_deployed_at TIMESTAMP     NULL,
    CONSTRAINT uk_cloud_package UNIQUE (app_id, version),
    CONSTRAINT fk_cloud_package_app FOREIGN KEY (app_id) REFERENCES mf_cloud_app (id)
);
