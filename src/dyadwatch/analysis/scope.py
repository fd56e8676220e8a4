"""What charts and indices count: the analysis window and the evidence filter.

The analysis window. By default it is the span of the corpus's publication dates (each
document's published date, else the date inferred from its text), widened by
`WINDOW_MARGIN_DAYS` on both sides: articles tell of the recent past, and a sentence that
mentions 1954 should not stretch a monthly series over seventy years. Events dated outside
the window are *background*: listed (the brief's timeline shows them apart), never charted.
`since` / `until` (YYYY, YYYY-MM or YYYY-MM-DD) replace the window's ends when given.

The evidence filter. Charts and indices count an event (a cluster of mentions) when it is
dated, not negated, of a modality in `DEFAULT_MODALITIES` (occurred: not planned, expected,
intended or only claimed) and at least one mention has a confidence of
`DEFAULT_MIN_CONFIDENCE` or more. The CLI's `--modality` and `--min-confidence` (and the same
arguments of the Python API) change both. docs/indices.md states these defaults.

A context (a PLOVER context name, e.g. military; checked by `contexts.check_context`) narrows
everything further to the events with at least one mention of that context: the brief's
`--context`, like `dyadwatch timeline --context`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from dyadwatch.analysis.clusters import Cluster, date_end_day
from dyadwatch.errors import ParameterError
from dyadwatch.records import MODALITIES
from dyadwatch.store.events import date_start

WINDOW_MARGIN_DAYS = 365
DEFAULT_MODALITIES: tuple[str, ...] = ("occurred",)
DEFAULT_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True, slots=True)
class Scope:
    """The window (first and last day, inclusive; None = open) and the evidence filter.

    `origin` says where the window came from: "corpus" (publication dates ± margin), "asked"
    (--since/--until), "corpus+asked" (one end each), or "none" (no dated documents).
    """

    since: str | None = None
    until: str | None = None
    origin: str = "none"
    modalities: tuple[str, ...] = DEFAULT_MODALITIES
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    context: str | None = None

    def in_context(self, cluster: Cluster) -> bool:
        """Whether a mention of the event has the scope's context (always, without one)."""
        return self.context is None or any(self.context in m.contexts for m in cluster.mentions)

    def in_window(self, cluster: Cluster) -> bool:
        """Whether the event's first day lies in the window (undated events never do)."""
        start = cluster.date_start
        if start is None:
            return False
        return not ((self.since and start < self.since) or (self.until and start > self.until))

    def admits(self, cluster: Cluster) -> bool:
        """Whether the event is charted and counted by the indices."""
        return (self.in_window(cluster) and not cluster.negated
                and cluster.modality in self.modalities
                and cluster.confidence >= self.min_confidence and self.in_context(cluster))

    def describe(self) -> str:
        """One sentence stating the window and the filter (for every output)."""
        window = f"{self.since or 'the first event'} to {self.until or 'the last event'}"
        why = {"corpus": f"the articles' publication dates ± {WINDOW_MARGIN_DAYS} days",
               "asked": "as asked", "corpus+asked": "publication dates ± margin, and as asked",
               "none": "no dated documents"}.get(self.origin, self.origin)
        context = f" Only events of the context {self.context}." if self.context else ""
        return (f"Window {window} ({why}); counted: {', '.join(self.modalities)} events, "
                f"not negated, confidence ≥ {self.min_confidence:g}.{context}")


def check_filter(modalities: Sequence[str], min_confidence: float) -> None:
    """ParameterError naming the value when a modality or the confidence cannot be used."""
    for modality in modalities:
        if modality not in MODALITIES:
            raise ParameterError(
                f"unknown modality {modality!r}: choose from {', '.join(MODALITIES)}")
    if not 0.0 <= min_confidence <= 1.0:
        raise ParameterError(f"minimum confidence {min_confidence:g} is not between 0 and 1")


def corpus_window(first: str | None, last: str | None,
                  margin_days: int = WINDOW_MARGIN_DAYS) -> tuple[str | None, str | None]:
    """(first day, last day) of the publication span widened by the margin; (None, None)
    when no document has a date."""
    if not first or not last:
        return None, None
    low = date.fromisoformat(date_start(first) or first) - timedelta(days=margin_days)
    high = date.fromisoformat(date_end_day(last)) + timedelta(days=margin_days)
    return low.isoformat(), high.isoformat()


def make_scope(
    publication_span: tuple[str | None, str | None], since: str | None = None,
    until: str | None = None, modalities: Sequence[str] | None = None,
    min_confidence: float | None = None, context: str | None = None,
) -> Scope:
    """The scope of an analysis: the corpus window, its ends replaced by since/until, and
    the evidence filter (and a context, already checked, when given)."""
    low, high = corpus_window(*publication_span)
    asked_low = date_start(since) if since else None
    asked_high = date_end_day(until) if until else None
    asked = [asked_low is not None, asked_high is not None]
    origin = ("asked" if all(asked) else "corpus+asked" if any(asked) and low
              else "asked" if any(asked) else "corpus" if low else "none")
    scope = Scope(asked_low or low, asked_high or high, origin)
    mods = tuple(modalities) if modalities else DEFAULT_MODALITIES
    conf = DEFAULT_MIN_CONFIDENCE if min_confidence is None else min_confidence
    check_filter(mods, conf)
    return replace(scope, modalities=mods, min_confidence=conf, context=context)


def split_background(clusters: Iterable[Cluster], scope: Scope
                     ) -> tuple[list[Cluster], list[Cluster]]:
    """(events in the window, background events dated before or after it)."""
    inside: list[Cluster] = []
    background: list[Cluster] = []
    for cluster in clusters:
        if cluster.date_start is None or scope.in_window(cluster):
            inside.append(cluster)
        else:
            background.append(cluster)
    return inside, background


__all__ = [
    "DEFAULT_MIN_CONFIDENCE", "DEFAULT_MODALITIES", "WINDOW_MARGIN_DAYS", "Scope",
    "check_filter", "corpus_window", "make_scope", "split_background",
]
