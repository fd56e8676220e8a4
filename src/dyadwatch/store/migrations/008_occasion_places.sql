-- 008: mentions located at their occasion's place (analysis/occasions.py): a mention whose own
-- sentence names only a third country, refined to the city or site where a meeting of the same
-- pair at the same time took place. Its own sentence's location is kept here (JSON of
-- records.Location) with the mention whose sentence names the finer place, so that every run
-- recomputes the refinements from the sentences.
CREATE TABLE occasion_places (
    event_id VARCHAR PRIMARY KEY,     -- the refined mention (events.event_id)
    via_event_id VARCHAR NOT NULL,    -- the meeting whose sentence names the place
    own_location VARCHAR NOT NULL     -- what the refined mention's own sentence says
);
