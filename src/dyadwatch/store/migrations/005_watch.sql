-- 005: the state of `dyadwatch watch` and its alerts (dyadwatch.watch; SQL in store/watch.py).
-- A source remembers its HTTP validators; an item (feed entry, page, file) is recorded when it
-- is fetched (pending) and marked ingested after the ingest run that read it, so a watcher
-- killed at any point resumes without fetching it again or ingesting it twice. An alert is
-- stored once under its dedup key, with one delivery row per channel.
CREATE TABLE watch_sources (
    source VARCHAR PRIMARY KEY,           -- a URL, or a folder's absolute path
    kind VARCHAR,                         -- feed, page or folder (known after the first fetch)
    etag VARCHAR,
    last_modified VARCHAR,
    status VARCHAR,                       -- what the last poll saw: 200, 304, or an error
    checked_at TIMESTAMP
);

CREATE TABLE watch_items (
    item_key VARCHAR PRIMARY KEY,         -- FEED#ENTRY, a page URL, or a file's path
    source VARCHAR NOT NULL,
    fingerprint VARCHAR,                  -- a file's size and modification time
    path VARCHAR NOT NULL,                -- what the ingest reads: a spool file, or the file
    state VARCHAR NOT NULL,               -- pending or ingested
    seen_at TIMESTAMP NOT NULL,
    ingested_at TIMESTAMP
);

CREATE TABLE alert_checked_docs (
    doc_id VARCHAR PRIMARY KEY,
    checked_at TIMESTAMP NOT NULL
);

CREATE TABLE alert_rule_state (
    rule VARCHAR PRIMARY KEY,
    seen JSON NOT NULL,                   -- the signal keys a series rule has seen
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE alerts (
    alert_id VARCHAR PRIMARY KEY,         -- hash of dedup_key
    dedup_key VARCHAR NOT NULL UNIQUE,
    rule VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    summary VARCHAR NOT NULL,
    payload JSON NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE alert_deliveries (
    alert_id VARCHAR NOT NULL,
    channel VARCHAR NOT NULL,             -- terminal, jsonl:PATH or webhook:URL
    attempts INTEGER NOT NULL,
    last_error VARCHAR,
    delivered_at TIMESTAMP,
    PRIMARY KEY (alert_id, channel)
);
