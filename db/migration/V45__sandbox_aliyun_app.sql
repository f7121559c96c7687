-- The app each emulated ECS instance runs (io.miniflow.sandbox.aliyun.EmulatedApps): what the last Cloud Assistant
-- "# xdeploy: install" put there and whether it runs. started_at: when the install command finished (the app answers
-- its health check app-start-millis later). A stopped app keeps its version; a deleted instance loses its row.
CREATE TABLE sandbox_aliyun_app (
    instance_id  VARCHAR(32)   NOT NULL PRIMARY KEY,
    version      VARCHAR(64)   NOT NULL,
    runtime      VARCHAR(16)   NOT NULL,
    sha256       VARCHAR(64)   NOT NULL,
    running      BOOLEAN       NOT NULL,
    started_at   TIMESTAMP(3)  NULL,
    updated_at   TIMESTAMP(3)  NULL
);
