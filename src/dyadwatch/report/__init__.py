"""The HTML brief of a dyad: one offline file with Plotly charts (`dyadwatch.figures`).

Entry point: `write_report(workspace, a, b, path) -> Path`.
"""

from dyadwatch.report.brief import BriefContext, build_context, render_brief, write_report

__all__ = [
    "BriefContext",
    "build_context",
    "render_brief",
    "write_report",
]
