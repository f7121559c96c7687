-- State of the Aliyun emulator (io.miniflow.sandbox.aliyun): ECS instances, Cloud Assistant invocations,
-- SLB load balancers with their backend servers, listeners and certificates, and the ClientTokens already seen.

CREATE TABLE sandbox_aliyun_instance (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    instance_id        VARCHAR(32)  NOT NULL,
    region_id          VARCHAR(32)  NOT NULL,
    zone_id            VARCHAR(32),
    instance_name      VARCHAR(128),
    host_name          VARCHAR(64),
    description        VARCHAR(256),
    image_id           VARCHAR(128),
    instance_type      VARCHAR(64),
    security_group_id  VARCHAR(64),
    vswitch_id         VARCHAR(64),
    charge_type        VARCHAR(32),
    bandwidth_out      INT          NOT NULL,
    private_ip         VARCHAR(32)  NOT NULL,
    public_ip          VARCHAR(32),
    status             VARCHAR(16)  NOT NULL,
    -- transitions still to come, "Status@epochMillis;Status@epochMillis" (evaluated when read)
    plan               VARCHAR(500),
    tags               VARCHAR(4000),
    created_at         TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_instance UNIQUE (instance_id)
);

CREATE TABLE sandbox_aliyun_client_token (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    product        VARCHAR(16)  NOT NULL,
    action         VARCHAR(64)  NOT NULL,
    client_token   VARCHAR(64)  NOT NULL,
    params_digest  VARCHAR(64)  NOT NULL,
    response       LONGTEXT     NOT NULL,
    created_at     TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_client_token UNIQUE (product, action, client_token)
);

CREATE TABLE sandbox_aliyun_invocation (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    invoke_id       VARCHAR(32)  NOT NULL,
    command_id      VARCHAR(32)  NOT NULL,
    command_type    VARCHAR(32)  NOT NULL,
    command_name    VARCHAR(128),
    command_content LONGTEXT     NOT NULL,
    created_at      TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_invocation UNIQUE (invoke_id)
);

CREATE TABLE sandbox_aliyun_invocation_result (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    invoke_id    VARCHAR(32)  NOT NULL,
    instance_id  VARCHAR(32)  NOT NULL,
    exit_code    INT          NOT NULL,
    output       LONGTEXT     NOT NULL,
    started_at   TIMESTAMP    NOT NULL,
    finish_at    TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_invocation_result UNIQUE (invoke_id, instance_id)
);

CREATE TABLE sandbox_aliyun_load_balancer (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    load_balancer_id   VARCHAR(32)  NOT NULL,
    region_id          VARCHAR(32)  NOT NULL,
    load_balancer_name VARCHAR(128),
    address            VARCHAR(32)  NOT NULL,
    address_type       VARCHAR(16)  NOT NULL,
    network_type       VARCHAR(16)  NOT NULL,
    vpc_id             VARCHAR(64),
    vswitch_id         VARCHAR(64),
    spec               VARCHAR(32),
    pay_type           VARCHAR(32)  NOT NULL,
    bandwidth          INT          NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    delete_protection  VARCHAR(8)   NOT NULL,
    created_at         TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_lb UNIQUE (load_balancer_id)
);

CREATE TABLE sandbox_aliyun_backend_server (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    load_balancer_id VARCHAR(32)  NOT NULL,
    server_id        VARCHAR(32)  NOT NULL,
    server_type      VARCHAR(8)   NOT NULL,
    weight           INT          NOT NULL,
    server_ip        VARCHAR(32),
    description      VARCHAR(256),
    CONSTRAINT uk_sandbox_aliyun_backend UNIQUE (load_balancer_id, server_id)
);

CREATE TABLE sandbox_aliyun_listener (
    id                    BIGINT AUTO_INCREMENT PRIMARY KEY,
    load_balancer_id      VARCHAR(32)  NOT NULL,
    listener_port         INT          NOT NULL,
    protocol              VARCHAR(8)   NOT NULL,
    backend_port          INT,
    bandwidth             INT          NOT NULL,
    status                VARCHAR(16)  NOT NULL,
    server_certificate_id VARCHAR(64),
    CONSTRAINT uk_sandbox_aliyun_listener UNIQUE (load_balancer_id, listener_port)
);

CREATE TABLE sandbox_aliyun_certificate (
    id                      BIGINT AUTO_INCREMENT PRIMARY KEY,
    server_certificate_id   VARCHAR(64)  NOT NULL,
    region_id               VARCHAR(32)  NOT NULL,
    server_certificate_name VARCHAR(128),
    fingerprint             VARCHAR(128) NOT NULL,
    common_name             VARCHAR(256),
    expire_at               TIMESTAMP    NOT NULL,
    created_at              TIMESTAMP    NOT NULL,
    CONSTRAINT uk_sandbox_aliyun_certificate UNIQUE (server_certificate_id)
);
