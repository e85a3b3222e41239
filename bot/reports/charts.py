"""Charts of the trend months as PNG (matplotlib, Agg: no display, no pyplot state)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.i18n import _
from bot.reports.figures import MonthFigures
from bot.reports.labels import month_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_SIZE = (8.0, 4.2)  # inches: the width of an A4 page's text at 150 dpi
_DPI = 150
_COLOURS = ("#1f5fa8", "#d9822b", "#3a9b5c", "#b8403a", "#7a5ea8", "#8a8a8a")


@dataclass(frozen=True)
class Chart:
    """A rendered chart: its title (also the photo's caption) and the PNG bytes."""

    title: str
    png: bytes


def report_charts(trend: Sequence[MonthFigures]) -> list[Chart]:
    """One or two charts: cases by kind and on-time share, or subscribers without cases."""
    cases = [c for c in (cases_by_month(trend), on_time_share(trend)) if c is not None]
    if cases:
        return cases
    subscribers = subscribers_by_month(trend)
    return [subscribers] if subscribers is not None else []


def cases_by_month(trend: Sequence[MonthFigures]) -> Chart | None:
    """Stacked bars: cases received each month, by kind."""
    months = [m for m in trend if m.cases is not None]
    if not months:
        return None
    kinds: dict[str, str] = {}
    for m in months:
        assert m.cases is not None
        kinds.update({c.key: _(c.label) for c in m.cases.by_kind})
    figure, axes = _figure()
    labels = [month_label(m.month) for m in months]
    bottom = [0] * len(months)
    for index, (key, label) in enumerate(kinds.items()):
        values = [_count(m, key) for m in months]
        axes.bar(labels, values, bottom=bottom, label=label, color=_COLOURS[index % 6])
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    title = _("Questions, feedback and petitions received each month, by kind")
    axes.set_title(title)
    if kinds:
        axes.legend(fontsize=8)
    return Chart(title, _png(figure))


def on_time_share(trend: Sequence[MonthFigures]) -> Chart | None:
    """A line: the share of cases handled on time each month (months with none are gaps)."""
    months = [m for m in trend if m.cases is not None]
    if not months:
        return None
    figure, axes = _figure()
    shares = [m.cases.share_on_time if m.cases else None for m in months]
    values = [float("nan") if s is None else s * 100 for s in shares]
    axes.plot([month_label(m.month) for m in months], values, marker="o", color=_COLOURS[2])
    axes.set_ylim(0, 105)
    axes.set_ylabel("%")
    title = _("Share of cases handled on time each month")
    axes.set_title(title)
    return Chart(title, _png(figure))


def subscribers_by_month(trend: Sequence[MonthFigures]) -> Chart | None:
    """Bars: subscribers at the end of each month; a line: new subscribers that month."""
    months = [m for m in trend if m.subscribers is not None]
    if not months:
        return None
    figure, axes = _figure()
    labels = [month_label(m.month) for m in months]
    totals = [m.subscribers.total if m.subscribers else 0 for m in months]
    new = [m.subscribers.new if m.subscribers else 0 for m in months]
    axes.bar(labels, totals, color=_COLOURS[0], label=_("Subscribed at the end of the month"))
    axes.plot(labels, new, marker="o", color=_COLOURS[1], label=_("New subscribers"))
    title = _("Citizens subscribed to the commune's announcements, by month")
    axes.set_title(title)
    axes.legend(fontsize=8)
    return Chart(title, _png(figure))


def _count(month: MonthFigures, key: str) -> int:
    assert month.cases is not None
    return next((c.value for c in month.cases.by_kind if c.key == key), 0)


def _figure() -> tuple[Figure, Axes]:
    # Imported here: matplotlib takes half a second to load, which every start
    # of the bot and of each CLI command would otherwise pay.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # The object API, not pyplot: no global state, safe in a worker thread.
    figure = Figure(figsize=_SIZE, dpi=_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.tick_params(axis="x", labelsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return figure, axes


def _png(figure: Figure) -> bytes:
    for axes in figure.axes:
        if len(axes.get_xticklabels()) > 6:
            axes.tick_params(axis="x", labelrotation=45)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
