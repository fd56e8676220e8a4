-- 001: documents, their sources, near-duplicates, input errors, and everything coded from them.
CREATE TABLE documents (
    doc_id VARCHAR PRIMARY KEY,
    doc_source VARCHAR NOT NULL,          -- where it was first ingested from
    title VARCHAR,
    text VARCHAR NOT NULL,
    published VARCHAR,                    -- from metadata only
    published_precision VARCHAR NOT NULL,
    language VARCHAR,
    author VARCHAR,
    url VARCHAR,
    category VARCHAR,
    inferred_date VARCHAR,                -- read from the text when metadata has no date
    inferred_precision VARCHAR NOT NULL,
    inferred_from VARCHAR,
    fmt VARCHAR,
    coded BOOLEAN NOT NULL DEFAULT FALSE, -- the NLP and coding stages ran on it
    ingested_at TIMESTAMP NOT NULL
);

CREATE TABLE document_sources (
    doc_source VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    ingested_at TIMESTAMP NOT NULL
);

CREATE TABLE doc_minhash (
    doc_id VARCHAR PRIMARY KEY,
    signature BLOB NOT NULL
);

CREATE TABLE doc_bands (
    band SMALLINT NOT NULL,
    band_hash UBIGINT NOT NULL,
    doc_id VARCHAR NOT NULL
);

CREATE TABLE near_duplicates (
    doc_id VARCHAR NOT NULL,
    near_doc_id VARCHAR NOT NULL,
    similarity DOUBLE NOT NULL,
    PRIMARY KEY (doc_id, near_doc_id)
);

CREATE TABLE errors (
    source VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    time TIMESTAMP NOT NULL
);

CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    doc_source VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    sentence VARCHAR NOT NULL,
    date VARCHAR,
    date_end VARCHAR,
    date_precision VARCHAR NOT NULL,
    date_start DATE,                      -- first day of `date`, for ordering and series
    source_code VARCHAR NOT NULL,
    source_country VARCHAR,
    source_role VARCHAR,
    source_text VARCHAR,
    source_name VARCHAR,
    target_code VARCHAR NOT NULL,
    target_country VARCHAR,
    target_role VARCHAR,
    target_text VARCHAR,
    target_name VARCHAR,
    cameo VARCHAR NOT NULL,
    root VARCHAR NOT NULL,
    quad_class INTEGER NOT NULL,
    goldstein DOUBLE NOT NULL,
    plover VARCHAR NOT NULL,
    modality VARCHAR NOT NULL,
    negated BOOLEAN NOT NULL,
    cluster_id VARCHAR,
    confidence DOUBLE NOT NULL,
    coder_version VARCHAR NOT NULL,
    dictionary_version VARCHAR NOT NULL,
    pattern VARCHAR
);

CREATE TABLE quotes (
    quote_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    doc_source VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    text VARCHAR NOT NULL,
    speaker VARCHAR,
    speaker_code VARCHAR,
    start_char INTEGER,
    end_char INTEGER
);

CREATE TABLE figures (
    figure_id VARCHAR PRIMARY KEY,
    doc_id VARCHAR NOT NULL,
    doc_source VARCHAR NOT NULL,
    sentence_index INTEGER NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    about VARCHAR,
    sentence VARCHAR
);

CREATE TABLE learned_actors (
    name VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    country VARCHAR,
    role VARCHAR,
    doc_id VARCHAR NOT NULL,
    evidence VARCHAR,
    PRIMARY KEY (name, doc_id)
);

CREATE TABLE ingest_runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    summary JSON
);
