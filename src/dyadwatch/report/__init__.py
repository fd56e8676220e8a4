"""The HTML brief of a dyad and the inline SVG charts it (and the dashboard) uses.

Entry point: `write_report(workspace, a, b, path) -> Path`.
"""

from dyadwatch.report.brief import BriefContext, build_context, render_brief, write_report
from dyadwatch.report.charts import hedging_chart, series_chart

__all__ = [
    "BriefContext",
    "build_context",
    "hedging_chart",
    "render_brief",
    "series_chart",
    "write_report",
]
