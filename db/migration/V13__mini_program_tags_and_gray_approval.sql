-- Tags on a tenant's mini program (e.g. "vip,east"), so a release can target a tag instead of a list.
ALTER TABLE mf_mp_settings ADD COLUMN tags VARCHAR(500);

-- A batch whose gray steps wait for a person's approval instead of a timed pause.
ALTER TABLE mf_release_batch ADD COLUMN gray_approval BOOLEAN DEFAULT FALSE NOT NULL;
