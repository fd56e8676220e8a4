"""One change verdict for a series, the same whatever period a table or chart shows.

A change-point reading depends on the period: twelve noisy months can hold a "shift" that a
year averages away. So the verdict asks one question, *did the level shift and stay?*, of
the series at every frequency (month, quarter, year) and reports:

- the answer all informative frequencies agree on ("sustained shift", "no sustained
  shift", "too recent to tell"); frequencies with too few periods or events say nothing;
- "frequencies disagree" when they do, naming each answer (no verdict is then robust to
  the choice of period);
- "not enough data" when no frequency can say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dyadwatch.analysis.changepoints import ChangeAnalysis, Observation, detect_change_points
from dyadwatch.analysis.series import Freq

SHIFT = "sustained shift"
NO_SHIFT = "no sustained shift"
RECENT = "too recent to tell"
NO_DATA = "not enough data"
DISAGREE = "frequencies disagree"


@dataclass(frozen=True, slots=True)
class ChangeVerdict:
    """The verdict, each frequency's answer, and a sentence saying both."""

    verdict: str
    by_freq: tuple[tuple[str, str], ...]
    reading: str

    def answer(self, freq: str) -> str:
        return dict(self.by_freq).get(freq, NO_DATA)


def classify(changes: ChangeAnalysis) -> str:
    """The answer of one change analysis to "did the level shift and stay?"."""
    if changes.status != "ok":
        return NO_DATA
    if changes.sustained_shifts:
        return SHIFT
    if changes.recent_change:
        return RECENT
    return NO_SHIFT


def combine(answers: Mapping[str, str], metric: str) -> ChangeVerdict:
    """The verdict of the frequencies' answers (in month, quarter, year order)."""
    by_freq = tuple((f.value, answers.get(f.value, NO_DATA)) for f in Freq)
    said = {a for _, a in by_freq if a != NO_DATA}
    listing = "; ".join(f"{f}: {a}" for f, a in by_freq)
    if not said:
        return ChangeVerdict(NO_DATA, by_freq, f"Change in {metric}: not enough data at any "
                                                f"period length ({listing}).")
    if len(said) == 1:
        verdict = said.pop()
        return ChangeVerdict(verdict, by_freq, f"Change in {metric}: {verdict}; the same "
                                               f"answer at every period length that can "
                                               f"tell ({listing}).")
    return ChangeVerdict(DISAGREE, by_freq, f"Change in {metric}: the period lengths "
                                            f"disagree ({listing}), so no answer is robust "
                                            "to the choice of period; read the timeline.")


def change_verdict(observations_at: Callable[[Freq], Sequence[Observation]],
                   metric: str) -> ChangeVerdict:
    """The verdict of the series given, per frequency, by `observations_at`."""
    answers = {f.value: classify(detect_change_points(observations_at(f), metric))
               for f in Freq}
    return combine(answers, metric)


__all__ = ["DISAGREE", "NO_DATA", "NO_SHIFT", "RECENT", "SHIFT", "ChangeVerdict",
           "change_verdict", "classify", "combine"]
