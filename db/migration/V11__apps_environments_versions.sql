-- App publishing (seed 000): apps, business environments, deploy and file-storage configs, component packages,
-- versions per environment with their publish log. The process app-publish moves versions through their statuses.

CREATE TABLE mf_deploy_config (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace     VARCHAR(64)  NOT NULL,
    name          VARCHAR(64)  NOT NULL,
    cloud_vendor  VARCHAR(32)  NOT NULL,
    deploy_path   VARCHAR(200) NOT NULL,
    deploy_domain VARCHAR(255) NOT NULL,
    access_path   VARCHAR(200) NOT NULL,
    note          VARCHAR(500),
    created_at    TIMESTAMP    NOT NULL,
    CONSTRAINT uk_deploy_config UNIQUE (workspace, name)
);

CREATE TABLE mf_storage_config (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace  VARCHAR(64)  NOT NULL,
    name       VARCHAR(64)  NOT NULL,
    vendor     VARCHAR(32)  NOT NULL,
    bucket     VARCHAR(128) NOT NULL,
    region     VARCHAR(64),
    base_url   VARCHAR(255) NOT NULL,
    note       VARCHAR(500),
    created_at TIMESTAMP    NOT NULL,
    CONSTRAINT uk_storage_config UNIQUE (workspace, name)
);

CREATE TABLE mf_component_package (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace   VARCHAR(64)  NOT NULL,
    name        VARCHAR(64)  NOT NULL,
    version     VARCHAR(32)  NOT NULL,
    description VARCHAR(500),
    created_at  TIMESTAMP    NOT NULL,
    CONSTRAINT uk_component_package UNIQUE (workspace, name, version)
);

CREATE TABLE mf_component (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    package_id BIGINT       NOT NULL,
    name       VARCHAR(64)  NOT NULL,
    detail     VARCHAR(500),
    CONSTRAINT fk_component_package FOREIGN KEY (package_id) REFERENCES mf_component_package (id)
);

CREATE TABLE mf_app (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace      VARCHAR(64)  NOT NULL,
    app_code       VARCHAR(50)  NOT NULL,
    name           VARCHAR(100) NOT NULL,
    description    VARCHAR(500),
    engine_version VARCHAR(32)  NOT NULL,
    created_at     TIMESTAMP    NOT NULL,
    created_by     VARCHAR(64)  NOT NULL,
    CONSTRAINT uk_app_code UNIQUE (app_code)
);

CREATE TABLE mf_app_package (
    app_id     BIGINT NOT NULL,
    package_id BIGINT NOT NULL,
    PRIMARY KEY (app_id, package_id),
    CONSTRAINT fk_app_package_app FOREIGN KEY (app_id) REFERENCES mf_app (id),
    CONSTRAINT fk_app_package_package FOREIGN KEY (package_id) REFERENCES mf_component_package (id)
);

CREATE TABLE mf_app_environment (
    id                    BIGINT AUTO_INCREMENT PRIMARY KEY,
    app_id                BIGINT       NOT NULL,
    env_code              VARCHAR(50)  NOT NULL,
    name                  VARCHAR(64)  NOT NULL,
    domain                VARCHAR(255) NOT NULL,
    api_domain            VARCHAR(255) NOT NULL,
    deploy_config_id      BIGINT,
    storage_config_id     BIGINT,
    requires_approval     BOOLEAN      NOT NULL,
    required_approvals    INT          NOT NULL,
    online_version        VARCHAR(32),
    -- The one publish running here (app-publish holds it from validation to its end).
    publishing_version_id BIGINT,
    created_at            TIMESTAMP    NOT NULL,
    CONSTRAINT uk_app_environment UNIQUE (app_id, env_code),
    CONSTRAINT fk_environment_app FOREIGN KEY (app_id) REFERENCES mf_app (id),
    CONSTRAINT fk_environment_deploy FOREIGN KEY (deploy_config_id) REFERENCES mf_deploy_config (id),
    CONSTRAINT fk_environment_storage FOREIGN KEY (storage_config_id) REFERENCES mf_storage_config (id)
);

CREATE TABLE mf_app_version (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    environment_id      BIGINT        NOT NULL,
    version             VARCHAR(32)   NOT NULL,
    engine_version      VARCHAR(32)   NOT NULL,
    note                VARCHAR(500),
    source              VARCHAR(64)   NOT NULL,
    status              VARCHAR(16)   NOT NULL,
    created_by          VARCHAR(64)   NOT NULL,
    created_at          TIMESTAMP     NOT NULL,
    published_by        VARCHAR(64),
    published_at        TIMESTAMP,
    process_instance_id VARCHAR(64),
    failure_reason      VARCHAR(2000),
    CONSTRAINT uk_app_version UNIQUE (environment_id, version),
    CONSTRAINT fk_version_environment FOREIGN KEY (environment_id) REFERENCES mf_app_environment (id)
);

CREATE TABLE mf_publish_log (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    version_id BIGINT        NOT NULL,
    logged_at  TIMESTAMP(3)  NOT NULL,
    level      VARCHAR(8)    NOT NULL,
    message    VARCHAR(2000) NOT NULL,
    CONSTRAINT fk_publish_log_version FOREIGN KEY (version_id) REFERENCES mf_app_version (id)
);

CREATE INDEX ix_publish_log_version ON mf_publish_log (version_id, id);
