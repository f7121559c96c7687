-- A start slot belongs to the mini program holding it: freeing it is idempotent (a mini program frees it when it
-- starts waiting for WeChat's audit, and the batch frees it again, harmlessly, when the release ends), and a second
-- wake-up of the same mini program takes no second slot (docs/decisions/004). A mini program waiting for a slot
-- names the execution to wake, so the dispatcher finds the next ones through the (batch_id, stage) index.
ALTER TABLE mf_release_item ADD COLUMN holds_slot BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE mf_release_item ADD COLUMN waiting_execution VARCHAR(64);
