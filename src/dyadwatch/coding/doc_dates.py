"""A floor under a document's date, from the titles it gives people.

"Secretary of War Pete Hegseth" can only be written once Hegseth held that title: the earliest
start of the periods in which he held it is a lower bound on the article's date. Titles after
"former", "then" or "ex-" say nothing about the present and are skipped. The floor feeds
`infer_document_date` when metadata has no date; it never becomes a date by itself.
"""

from __future__ import annotations

import re

from dyadwatch.coding.actor_data import ActorEntry
from dyadwatch.coding.actors import ActorDictionary

_LOOKBEHIND = 60
_PAST_MARKER = re.compile(
    r"\b(?:former|then|ex|late|erstwhile|one-time|onetime)[\s-]+\S*\s*$", re.IGNORECASE
)


def _title_before(entry: ActorEntry, before: str) -> str | None:
    """The longest of the person's titles that ends the text just before the name."""
    stripped = before.rstrip()
    for title in sorted({t for p in entry.periods for t in p.titles}, key=len, reverse=True):
        if stripped.lower().endswith(title.lower()):
            head = stripped[: len(stripped) - len(title)]
            if head and head[-1].isalnum():
                continue
            return None if _PAST_MARKER.search(head) else title
    return None


def title_floor(text: str, dictionary: ActorDictionary) -> str | None:
    """The latest 'earliest date this title could be used' over titled people in the text."""
    floor: str | None = None
    for mention in dictionary.find_in_text(text):
        entry = dictionary.entries.get(mention.key)
        if entry is None or entry.kind != "person" or not entry.periods:
            continue
        title = _title_before(entry, text[max(0, mention.start - _LOOKBEHIND) : mention.start])
        if title is None:
            continue
        starts = [p.start for p in entry.periods if title in p.titles]
        if starts and (floor is None or min(starts) > floor):
            floor = min(starts)
    return floor
