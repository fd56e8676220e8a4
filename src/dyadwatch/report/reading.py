"""The brief's plain-language assessment: volume, shifts, hedging, and the question an
analyst asks of a warming or cooling ("strategic shift or just pragmatism?").

Reads clusters and the computed indices; returns short paragraphs. The rules are stated in
docs/indices.md: a *strategic shift* needs a sustained level shift (change points on both
sides lasting several periods) carried by material cooperation or conflict (quad classes 2
and 4) and reported by more than one source; verbal-only or episodic change reads as
pragmatism; too few periods or events reads as "not enough data".
"""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.queries import DyadIndex, HedgingIndex
from dyadwatch.analysis.series import counts

MATERIAL_SHARE = 1 / 3


def _volume(counted: Sequence[Cluster], name_a: str, name_b: str) -> str:
    if not counted:
        return f"No dated events between {name_a} and {name_b} in this workspace."
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
                "data (no events with either power).")
    lean = hedging.a if o.value > 0 else hedging.b if o.value < 0 else "neither"
    return (f"Hedging of {hedging.focal} between {hedging.a} (+1) and {hedging.b} (−1): "
            f"H = {o.value:+.2f} over the whole record, leaning to {lean}. Inputs: net "
            f"cooperation with {hedging.a} {o.side_a.net_cooperation:g} ({o.side_a.events} "
            f"events), with {hedging.b} {o.side_b.net_cooperation:g} ({o.side_b.events} "
            f"events). {hedging.changes.reading}")


def verdict(counted: Sequence[Cluster], index: DyadIndex) -> str:
    """Strategic shift, pragmatism, no change, or not enough data, with the reason."""
    changes = index.changes
    if changes.status != "ok":
        return ("Strategic shift or pragmatism? The record cannot say yet. "
                + changes.reading)
    material = sum(1 for c in counted if c.quad_class in (2, 4))
    multi = sum(1 for c in counted if c.num_sources > 1)
    share = material / len(counted) if counted else 0.0
    if not changes.change_points:
        return ("Strategic shift or pragmatism? Neither shows in the data: the level of "
                "cooperation did not change over the period covered.")
    if changes.recent_change:
        return ("Strategic shift or pragmatism? Too early to tell: the latest change is too "
                "recent to know whether it lasts (see the change-point reading above); watch "
                "whether the next periods hold the new level.")
    if not changes.sustained_shifts:
        return ("Strategic shift or pragmatism? The changes are short episodes, not a "
                "sustained level shift: this reads as pragmatic, event-driven engagement.")
    if share >= MATERIAL_SHARE and multi:
        return (f"Strategic shift or pragmatism? The data are consistent with a strategic "
                f"shift: a sustained level shift, {material} of {len(counted)} events are "
                f"material (not only words), and {multi} are confirmed by several sources.")
    return (f"Strategic shift or pragmatism? The level shifted and stayed, but only "
            f"{material} of {len(counted)} events are material and {multi} are confirmed by "
            "several sources: so far this reads as pragmatism more than realignment.")


def assess(clusters: Sequence[Cluster], index: DyadIndex, hedging: HedgingIndex | None,
           name_a: str, name_b: str) -> tuple[str, ...]:
    """The paragraphs of the brief's assessment, in reading order."""
    counted = [c for c in clusters if counts(c)]
    paragraphs = [_volume(counted, name_a, name_b), index.changes.reading]
    if hedging is not None:
        paragraphs.append(_hedging_text(hedging))
    paragraphs.append(verdict(counted, index))
    return tuple(paragraphs)
