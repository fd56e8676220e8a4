-- 002: keys on the two tables that could receive the same row twice (two ingests at once
-- doubled doc_bands). Each document has one hash per band; an error is one (source, reason).
-- Rows already doubled are kept once.
CREATE TABLE doc_bands_keyed (
    band SMALLINT NOT NULL,
    band_hash UBIGINT NOT NULL,
    doc_id VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, band)
);
INSERT INTO doc_bands_keyed
    SELECT band, any_value(band_hash), doc_id FROM doc_bands GROUP BY doc_id, band;
DROP TABLE doc_bands;
ALTER TABLE doc_bands_keyed RENAME TO doc_bands;

CREATE TABLE errors_keyed (
    source VARCHAR NOT NULL,
    reason VARCHAR NOT NULL,
    time TIMESTAMP NOT NULL,
    PRIMARY KEY (source, reason)
);
INSERT INTO errors_keyed SELECT source, reason, max(time) FROM errors GROUP BY source, reason;
DROP TABLE errors;
ALTER TABLE errors_keyed RENAME TO errors;
