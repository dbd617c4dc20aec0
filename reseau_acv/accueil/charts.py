"""Charts drawn by the app: a small horizontal bar chart in SVG, always shown with its table.

No script, no third-party service: the SVG is built here from the same rows as the data table
and the CSV export. Values are written next to each bar, so no information rests on colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1d3f72", "#1e6b3a", "#8a5a00", "#a4161a", "#5b3a8c"]
PATTERNS = ["", "4 2", "1 2", "6 2 1 2", "2 4"]


@dataclass
class Chart:
    key: str
    title: str
    label_header: str
    series: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)
    description: str = ""
    # Figures by town gathered by territory (:func:`par_territoire`): the chart's rows are the
    # finest level that keeps it readable, the detail table one level finer (by département).
    detail_header: str = ""
    detail_rows: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(any(values) for _label, values in self.rows)

    def csv_rows(self) -> list[list]:
        if self.detail_rows:
            return [[self.detail_header, *self.series], *[[label, *values] for label, values in self.detail_rows]]
        return [[self.label_header, *self.series], *[[label, *values] for label, values in self.rows]]

    def svg(self) -> SafeString:
        return bar_chart_svg(self)


def _short(label: str, size: int = 26) -> str:
    """Labels longer than the space left of the bars end with an ellipsis (the table has them whole)."""
    return label if len(label) <= size else label[: size - 1].rstrip() + "…"


def bar_chart_svg(chart: Chart, *, width: int = 640, label_width: int = 190, bar_height: int = 16) -> SafeString:
    n_series = max(len(chart.series), 1)
    group_height = bar_height * n_series + 10
    legend_height = 22 if n_series > 1 else 0
    height = max(len(chart.rows), 1) * group_height + legend_height + 10
    top = max((value for _label, values in chart.rows for value in values), default=0) or 1
    plot_width = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-{escape(chart.key)}-title">',
        f'<title id="chart-{escape(chart.key)}-title">{escape(chart.title)}</title>',
    ]
    if n_series > 1:
        x = label_width
        for index, name in enumerate(chart.series):
            color = PALETTE[index % len(PALETTE)]
            parts.append(f'<rect x="{x}" y="4" width="14" height="12" fill="{color}"/>')
            parts.append(f'<text x="{x + 18}" y="15" class="chart-legend">{escape(name)}</text>')
            x += 24 + 8 * len(name)
    y = legend_height + 5
    for label, values in chart.rows:
        parts.append(
            f'<text x="{label_width - 8}" y="{y + group_height / 2}" text-anchor="end" '
            f'dominant-baseline="middle" class="chart-label">{escape(_short(label))}</text>'
        )
        for index, value in enumerate(values):
            bar_y = y + index * bar_height
            bar_w = round(plot_width * value / top, 1)
            color = PALETTE[index % len(PALETTE)]
            dash = PATTERNS[index % len(PATTERNS)]
            stroke = f' stroke="#000" stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<rect x="{label_width}" y="{bar_y}" width="{bar_w}" height="{bar_height - 3}" fill="{color}"{stroke}/>'
            )
            parts.append(
                f'<text x="{label_width + bar_w + 4}" y="{bar_y + bar_height / 2}" dominant-baseline="middle" '
                f'class="chart-value">{value}</text>'
            )
        y += group_height
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every interpolated text is escaped above)
