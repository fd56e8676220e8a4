"""Alert rules: a YAML file read and validated once (format: docs/watch.md).

    rules:
      - name: us-cambodia-material-conflict     # kind: event (the default)
        dyad: [USA, KHM]
        quad_class: [4]
        min_goldstein: 5
      - name: us-cambodia-shift
        kind: change_point
        dyad: [USA, KHM]
      - name: cambodia-leans-to-china
        kind: hedging
        focal: KHM
        a: USA
        b: CHN
        crosses: -0.5

`load_rules(path)` returns `AlertRules`; anything wrong raises RuleFileError in one line naming
the file, the rule and the field. PLOVER contexts are not a field yet: events carry none in this
version, so a `context` field is refused with that reason rather than silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.analysis.observations import SERIES_METRICS
from dyadwatch.analysis.series import Freq
from dyadwatch.coding.ontology import load_ontology
from dyadwatch.datafiles import parse_yaml
from dyadwatch.errors import DictionaryError, RuleFileError
from dyadwatch.records import MODALITIES


@dataclass(frozen=True, slots=True)
class EventRule:
    """Alert on each new document with events that pass every filter given."""

    name: str
    actor: str | None = None
    dyad: tuple[str, str] | None = None
    roots: frozenset[str] = frozenset()
    plover: frozenset[str] = frozenset()
    quad_class: frozenset[int] = frozenset()
    modality: frozenset[str] = frozenset()
    min_goldstein: float | None = None  # minimum |Goldstein|
    include_negated: bool = False
    kind: str = "event"


@dataclass(frozen=True, slots=True)
class ChangePointRule:
    """Alert on each new change point of a dyad's series (`analysis.changepoints`)."""

    name: str
    dyad: tuple[str, str]
    freq: Freq = Freq.month
    metric: str = "goldstein_sum"
    sustained_only: bool = False
    kind: str = "change_point"


@dataclass(frozen=True, slots=True)
class HedgingRule:
    """Alert when the hedging index of `focal` between `a` and `b` crosses `crosses` from one
    period to the next (`direction`: up, down or either)."""

    name: str
    focal: str
    a: str
    b: str
    crosses: float
    direction: str = "either"
    freq: Freq = Freq.quarter
    kind: str = "hedging"


AlertRule = EventRule | ChangePointRule | HedgingRule


@dataclass(frozen=True, slots=True)
class AlertRules:
    path: str
    rules: tuple[AlertRule, ...]


_FIELDS = {
    "event": {"actor", "dyad", "root", "plover", "quad_class", "modality", "min_goldstein",
              "include_negated"},
    "change_point": {"dyad", "freq", "metric", "sustained_only"},
    "hedging": {"focal", "a", "b", "crosses", "direction", "freq"},
}
_NOT_YET = {"context": "not supported yet: events carry no PLOVER contexts in this version"}
_CODE = re.compile(r"^[A-Z]{3}[A-Z0-9]*$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")


@dataclass(frozen=True, slots=True)
class _Reader:
    """Reads the fields of one rule, raising errors that name the file, rule and field."""

    path: str
    rule: str
    data: dict[str, Any]

    def fail(self, field: str, why: str) -> RuleFileError:
        return RuleFileError(f"{self.path}: rule {self.rule}: field `{field}`: {why}")

    def code(self, field: str, value: Any = None) -> str:
        value = self.data.get(field) if value is None else value
        if not isinstance(value, str) or not _CODE.match(value.strip().upper()):
            raise self.fail(field, f"{value!r} is not an actor code (e.g. USA, KHMGOV)")
        return value.strip().upper()

    def dyad(self) -> tuple[str, str]:
        value = self.data.get("dyad")
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail("dyad", f"{value!r} is not a list of two actor codes")
        a, b = (self.code("dyad", v) for v in value)
        return a, b

    def choices(self, field: str, allowed: frozenset[Any], norm: Any = str) -> frozenset[Any]:
        value = self.data.get(field)
        values = value if isinstance(value, list) else [value]
        try:
            out = frozenset(norm(v) for v in values)
        except (TypeError, ValueError):
            out = frozenset({None})
        bad = sorted(str(v) for v in out - allowed)
        if not values or bad:
            shown = ", ".join(sorted(str(a) for a in allowed))
            raise self.fail(field, f"{bad[0] if bad else repr(value)} is not one of {shown}")
        return out

    def number(self, field: str, low: float, high: float) -> float:
        value = self.data.get(field)
        if not isinstance(value, int | float) or isinstance(value, bool) or \
                not low <= value <= high:
            raise self.fail(field, f"{value!r} is not a number from {low:g} to {high:g}")
        return float(value)

    def flag(self, field: str) -> bool:
        value = self.data.get(field, False)
        if not isinstance(value, bool):
            raise self.fail(field, f"{value!r} is not true or false")
        return value

    def freq(self, default: Freq) -> Freq:
        if "freq" not in self.data:
            return default
        return Freq(next(iter(self.choices("freq", frozenset(f.value for f in Freq)))))


def _root(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(value)
    return str(value).strip().zfill(2)


def _event_rule(r: _Reader, plover_types: frozenset[str]) -> EventRule:
    d = r.data
    return EventRule(
        name=r.rule,
        actor=r.code("actor") if "actor" in d else None,
        dyad=r.dyad() if "dyad" in d else None,
        roots=r.choices("root", frozenset(f"{n:02d}" for n in range(1, 21)), _root)
        if "root" in d else frozenset(),
        plover=r.choices("plover", plover_types, lambda v: str(v).upper())
        if "plover" in d else frozenset(),
        quad_class=r.choices("quad_class", frozenset({1, 2, 3, 4}), int)
        if "quad_class" in d else frozenset(),
        modality=r.choices("modality", frozenset(MODALITIES)) if "modality" in d
        else frozenset(),
        min_goldstein=r.number("min_goldstein", 0, 10) if "min_goldstein" in d else None,
        include_negated=r.flag("include_negated"),
    )


def _series_rule(r: _Reader, kind: str) -> ChangePointRule | HedgingRule:
    if kind == "change_point":
        metric = next(iter(r.choices("metric", frozenset(SERIES_METRICS))))\
            if "metric" in r.data else "goldstein_sum"
        return ChangePointRule(r.rule, r.dyad(), r.freq(Freq.month), metric,
                               r.flag("sustained_only"))
    focal, a, b = r.code("focal")[:3], r.code("a")[:3], r.code("b")[:3]
    if len({focal, a, b}) < 3:
        raise r.fail("b", f"focal, a and b must be three different countries ({focal}, {a}, "
                          f"{b})")
    direction = next(iter(r.choices("direction", frozenset({"up", "down", "either"}))))\
        if "direction" in r.data else "either"
    return HedgingRule(r.rule, focal, a, b, r.number("crosses", -1, 1), direction,
                       r.freq(Freq.quarter))


def _rule(path: str, number: int, data: Any, plover_types: frozenset[str]) -> AlertRule:
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}: rule #{number}: not a mapping of fields")
    name = data.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise RuleFileError(f"{path}: rule #{number}: field `name`: {name!r} is not a name "
                            "(letters, digits, . _ -; at most 80)")
    reader = _Reader(path, name, data)
    kind = data.get("kind", "event")
    if kind not in _FIELDS:
        raise reader.fail("kind", f"{kind!r} is not one of {', '.join(sorted(_FIELDS))}")
    for field in data:
        if field in _NOT_YET:
            raise reader.fail(field, _NOT_YET[field])
        if field not in _FIELDS[kind] | {"name", "kind"}:
            raise reader.fail(field, f"unknown field for a rule of kind {kind}")
    if kind == "event":
        return _event_rule(reader, plover_types)
    return _series_rule(reader, kind)


def load_rules(path: Path | str) -> AlertRules:
    """The rules of the YAML file at `path`, validated."""
    label = str(path)
    try:
        data = parse_yaml(Path(path).read_text(encoding="utf-8"), label)
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError(f"{label}: cannot read the rule file ({exc})") from exc
    except DictionaryError as exc:  # not valid YAML: the message names the file and line
        raise RuleFileError(str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) \
            or not data["rules"]:
        raise RuleFileError(f"{label}: expected a mapping with a non-empty `rules:` list")
    plover_types = frozenset(code.plover for code in load_ontology())
    rules = [_rule(label, n, r, plover_types) for n, r in enumerate(data["rules"], 1)]
    names = [r.name for r in rules]
    if dup := next((n for n in names if names.count(n) > 1), None):
        raise RuleFileError(f"{label}: rule {dup}: field `name`: used by two rules")
    return AlertRules(label, tuple(rules))
