"""The brief's plain-language assessment: volume, shifts, hedging, and an answer to the
question an analyst asks of a warming or cooling ("strategic shift or just pragmatism?"),
with a heading that says what the data show (too little evidence, steady, episodes, a
disagreement between period lengths, a recent change, or a shift in words or in deeds).

Reads clusters and the computed indices; returns short paragraphs. The rules are stated in
docs/indices.md: a *strategic shift* needs a sustained level shift (change points on both
sides lasting several periods) carried by material cooperation or conflict (quad classes 2
and 4) and reported by more than one source; verbal-only or episodic change reads as
pragmatism; too few periods or events reads as "not enough data". The change verdict is
the one that holds at month, quarter and year (analysis.verdict), so it does not flip with
the period the charts show.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.hedging import ENOUGH, INTERVAL_LEVEL, MIN_EVIDENCE_EVENTS
from dyadwatch.analysis.queries import DyadIndex, HedgingIndex
from dyadwatch.analysis.verdict import DISAGREE, NO_DATA, NO_SHIFT, RECENT

MATERIAL_SHARE = 1 / 3


def _volume(counted: Sequence[Cluster], name_a: str, name_b: str) -> str:
    if not counted:
        return (f"No counted events between {name_a} and {name_b} in the analysis window "
                "(see Method for the window and the filter).")
    dates = sorted(c.date_start or "" for c in counted)
    coop = [c for c in counted if c.quad_class in (1, 2)]
    material = sum(1 for c in coop if c.quad_class == 2)
    conflict = len(counted) - len(coop)
    sources = len({d for c in counted for d in c.doc_ids})
    multi = sum(1 for c in counted if c.num_sources > 1)
    return (f"{len(counted)} events between {name_a} and {name_b} from {dates[0]} to "
            f"{dates[-1]}, read from {sources} documents: {len(coop)} cooperative "
            f"({material} material), {conflict} conflictual; {multi} reported by more than "
            "one source.")


def _hedging_text(hedging: HedgingIndex) -> str:
    o = hedging.overall
    if o.value is None:
        return (f"Hedging of {hedging.focal} between {hedging.a} and {hedging.b}: not enough "
                "evidence (no counted events with either power).")
    inputs = (f"net cooperation with {hedging.a} {o.side_a.net_cooperation:g} "
              f"({o.side_a.events} events), with {hedging.b} {o.side_b.net_cooperation:g} "
              f"({o.side_b.events} events)")
    if o.evidence != ENOUGH:
        return (f"Hedging of {hedging.focal} between {hedging.a} and {hedging.b}: not enough "
                f"evidence ({o.events} counted events; at least {MIN_EVIDENCE_EVENTS} are "
                f"needed before H says anything). Inputs: {inputs}.")
    lean = hedging.a if o.low is not None and o.low > 0 else (
        hedging.b if o.high is not None and o.high < 0 else "neither power clearly")
    return (f"Hedging of {hedging.focal} between {hedging.a} (+1) and {hedging.b} (−1): "
            f"H = {o.value:+.2f} over the window ({INTERVAL_LEVEL:.0%} interval {o.low:+.2f} "
            f"to {o.high:+.2f}), leaning to {lean}. Inputs: {inputs}. "
            f"{hedging.verdict.reading}")


def _material(counted: Sequence[Cluster]) -> tuple[int, int, float]:
    material = sum(1 for c in counted if c.quad_class in (2, 4))
    multi = sum(1 for c in counted if c.num_sources > 1)
    return material, multi, material / len(counted) if counted else 0.0


def verdict(counted: Sequence[Cluster], index: DyadIndex) -> tuple[str, str]:
    """(heading, paragraph): what the data show about change, in the verdict that holds
    across month, quarter and year (analysis.verdict)."""
    answer, why = index.verdict.verdict, index.verdict.reading
    if answer == NO_DATA:
        return ("Too little evidence to read a trend",
                f"The record cannot say yet whether relations changed. {why}")
    if answer == DISAGREE:
        return ("No robust change: the answer depends on the period",
                f"{why} Treat any single chart's shift as unconfirmed.")
    if answer == RECENT:
        return ("A recent change, too early to read",
                f"{why} Watch whether the next periods hold the new level.")
    if answer == NO_SHIFT:
        return ("No sustained change in the level of relations",
                f"{why} Whatever moved was short episodes or noise: this reads as "
                "pragmatic, event-driven engagement, not a realignment.")
    material, multi, share = _material(counted)
    if share >= MATERIAL_SHARE and multi:
        return ("A sustained shift, carried by deeds as well as words",
                f"{why} {material} of {len(counted)} events are material (not only words) "
                f"and {multi} are confirmed by several sources: consistent with a strategic "
                "shift rather than pragmatism.")
    return ("A sustained shift, so far mostly in words",
            f"{why} Only {material} of {len(counted)} events are material and {multi} are "
            "confirmed by several sources: so far this reads as pragmatism more than "
            "realignment.")


def assess(clusters: Sequence[Cluster], index: DyadIndex, hedging: HedgingIndex | None,
           name_a: str, name_b: str) -> tuple[str, tuple[str, ...]]:
    """(heading, paragraphs) of the brief's assessment, over the events the scope admits."""
    counted = [c for c in clusters if index.scope.admits(c)]
    heading, conclusion = verdict(counted, index)
    paragraphs = [_volume(counted, name_a, name_b), index.changes.reading]
    if hedging is not None:
        paragraphs.append(_hedging_text(hedging))
    paragraphs.append(conclusion)
    return heading, tuple(paragraphs)
