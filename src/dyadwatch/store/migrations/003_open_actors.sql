-- Open-world actors: an actor the text names but no code fits keeps its words with a NULL code,
-- and an event without a target has a NULL target code (GDELT keeps such events too).
ALTER TABLE events ALTER COLUMN source_code DROP NOT NULL;
ALTER TABLE events ALTER COLUMN target_code DROP NOT NULL;
