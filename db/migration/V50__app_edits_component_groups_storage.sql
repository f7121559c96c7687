-- The PaaS console made whole (issue #20): component groups of a workspace, a package's repository address, each
-- component's details as the designer shows them, and where a version's deploy put its version-independent files.

CREATE TABLE mf_component_group (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    workspace  VARCHAR(64) NOT NULL,
    name       VARCHAR(64) NOT NULL,
    -- The designer lists groups by sort_order, then name.
    sort_order INT         NOT NULL,
    created_at TIMESTAMP   NOT NULL,
    CONSTRAINT uk_component_group UNIQUE (workspace, name)
);

ALTER TABLE mf_component_package ADD COLUMN repository_url VARCHAR(500);

ALTER TABLE mf_component ADD COLUMN title VARCHAR(100);
ALTER TABLE mf_component ADD COLUMN icon VARCHAR(500);
ALTER TABLE mf_component ADD COLUMN group_id BIGINT;
ALTER TABLE mf_component ADD CONSTRAINT fk_component_group FOREIGN KEY (group_id) REFERENCES mf_component_group (id);

-- The file storage the deploy wrote to (the environment's storage config, or the platform's default), as a URL.
ALTER TABLE mf_app_version ADD COLUMN storage_location VARCHAR(500);
