-- 007: the PLOVER contexts of each event (dyadwatch.contexts), a list of names in the context
-- lexicon's order; NULL for events coded before contexts existed (read as none).
ALTER TABLE events ADD COLUMN contexts VARCHAR[];
