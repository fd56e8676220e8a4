"""The places an occasion gave to mentions told only at country level (`analysis.occasions`):
table `occasion_places` (migration 008) keeps each refined mention's own location and the
mention that named its place, so every run can start again from what the sentences say."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import duckdb

from dyadwatch.records import Event, Location
from dyadwatch.store.events import fetch_dicts, location_columns, row_to_event

_TABLE = "occasion_places"
_SET = ", ".join(f"location_{f} = ?" for f in ("name", "country", "adm1", "lat", "lon",
                                                 "feature_id", "precision"))


def _set_location(con: duckdb.DuckDBPyConnection, event_id: str, loc: Location) -> None:
    values = list(location_columns(loc).values())
    con.execute(f"UPDATE events SET {_SET} WHERE event_id = ?", [*values, event_id])


def restore_own_locations(con: duckdb.DuckDBPyConnection) -> None:
    """Give every refined mention its own sentence's location back and forget the refinements."""
    for event_id, own in con.execute(f"SELECT event_id, own_location FROM {_TABLE}").fetchall():
        _set_location(con, event_id, Location(**json.loads(own)))
    con.execute(f"DELETE FROM {_TABLE}")


def located_events(con: duckdb.DuckDBPyConnection) -> Iterator[Event]:
    """Every event with a location."""
    rows = fetch_dicts(con, "SELECT * FROM events WHERE location_name IS NOT NULL", [])
    return (row_to_event(row) for row in rows)


def write_occasion_places(
    con: duckdb.DuckDBPyConnection, refined: Iterable[tuple[str, Location, Location, str]]
) -> None:
    """(event id, own location, occasion's place, id of the mention naming it) for each mention:
    the place becomes its location, the own location and the naming mention are recorded."""
    for event_id, own, place, via in refined:
        _set_location(con, event_id, place)
        con.execute(f"INSERT INTO {_TABLE} VALUES (?, ?, ?)",
                    [event_id, via, json.dumps(own.to_dict())])


def occasion_sources(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, Location]]:
    """event_id -> (the mention that named its place, its own sentence's location), for the
    refined mentions."""
    rows = con.execute(f"SELECT event_id, via_event_id, own_location FROM {_TABLE}").fetchall()
    return {r[0]: (r[1], Location(**json.loads(r[2]))) for r in rows}
