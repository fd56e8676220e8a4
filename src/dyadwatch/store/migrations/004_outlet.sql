-- 004: the outlet of each document (a dump record's `source`, a feed's title, an HTML page's
-- site name), so exports and briefs can count distinct publishers, not only articles.
-- Documents ingested before this migration keep a NULL outlet.
ALTER TABLE documents ADD COLUMN outlet VARCHAR;
