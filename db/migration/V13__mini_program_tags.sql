-- Tags on a tenant's mini program (e.g. "vip,east"), so a release can target a tag instead of a list.
ALTER TABLE mf_mp_settings ADD COLUMN tags VARCHAR(500);
