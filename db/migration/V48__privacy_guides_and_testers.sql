-- The user privacy guide a release sets on the platform (WeChat's setprivacysetting): per app (scope APP, scope_key =
-- app_code) as the default of the app's tenant mini programs, per mini program (scope MINI_PROGRAM, scope_key = its
-- appid) overriding it. guide_json: io.miniflow.release.PrivacyGuide as JSON, checked before it is stored.
CREATE TABLE mf_privacy_guide (
    scope      VARCHAR(16)  NOT NULL,
    scope_key  VARCHAR(64)  NOT NULL,
    guide_json LONGTEXT     NOT NULL,
    updated_by VARCHAR(64)  NOT NULL,
    updated_at TIMESTAMP    NOT NULL,
    CONSTRAINT pk_privacy_guide PRIMARY KEY (scope, scope_key)
);

-- Testers Miniflow bound to a mini program's experience version. WeChat's memberauth lists testers only by an opaque
-- userstr; this keeps the WeChat ID a person typed, so the page can show who a userstr is.
CREATE TABLE mf_mp_tester (
    app_id    VARCHAR(64)  NOT NULL,
    userstr   VARCHAR(128) NOT NULL,
    wechat_id VARCHAR(64)  NOT NULL,
    bound_by  VARCHAR(64)  NOT NULL,
    bound_at  TIMESTAMP    NOT NULL,
    CONSTRAINT pk_mp_tester PRIMARY KEY (app_id, userstr)
);
