"""A dyad's timeline as Markdown or as a small self-contained HTML page (escaped)."""

from __future__ import annotations

from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, select_autoescape

from dyadwatch.analysis.counts import COUNT_VOCABULARY
from dyadwatch.analysis.timeline import TimelineEntry


def _when(entry: TimelineEntry) -> str:
    if not entry.date:
        return "undated"
    return f"{entry.date} – {entry.date_end}" if entry.date_end else entry.date


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")


def timeline_markdown(entries: Sequence[TimelineEntry], a: str, b: str) -> str:
    """A Markdown list: date, description, code, sources with their evidence sentences."""
    lines = [f"# Timeline {a}–{b}", ""]
    if entries:
        documents = len({s.doc_id for e in entries for s in e.sources})
        mentions = sum(e.num_mentions for e in entries)
        lines += [f"{len(entries)} events ({mentions} mentions in {documents} documents). "
                  f"{COUNT_VOCABULARY}", ""]
    if not entries:
        lines.append("No events.")
    for e in entries:
        plural = "s" if e.num_sources != 1 else ""
        lines.append(f"- **{_when(e)}**: {_md_escape(e.description)} (CAMEO {e.cameo}, "
                     f"Goldstein {e.goldstein:g}, {e.num_sources} source{plural})")
        for s in e.sources:
            lines.append(f"  - “{_md_escape(s.sentence)}” ({_md_escape(s.doc_source)})")
    return "\n".join(lines) + "\n"


def render_timeline_html(entries: Sequence[TimelineEntry], a: str, b: str) -> str:
    """A standalone HTML page of the timeline (no external resources, autoescaped)."""
    env = Environment(
        loader=PackageLoader("dyadwatch.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True, lstrip_blocks=True,
    )
    return env.get_template("timeline.html.j2").render(entries=entries, a=a, b=b, when=_when)
