-- 006: where each event happened (coding/locations.py), flat like the actors' columns: all
-- NULL when the text does not say. Events coded before this migration keep NULL until recoded.
ALTER TABLE events ADD COLUMN location_name VARCHAR;
ALTER TABLE events ADD COLUMN location_country VARCHAR;      -- ISO 3166-1 alpha-3
ALTER TABLE events ADD COLUMN location_adm1 VARCHAR;         -- GeoNames-style "MY.14"
ALTER TABLE events ADD COLUMN location_lat DOUBLE;
ALTER TABLE events ADD COLUMN location_lon DOUBLE;
ALTER TABLE events ADD COLUMN location_feature_id VARCHAR;   -- geonames:ID or dyadwatch:ID
ALTER TABLE events ADD COLUMN location_precision VARCHAR;    -- site, city, region, country
