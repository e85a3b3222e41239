"""Charts of the period's months as PNG (matplotlib, Agg: no display, no pyplot state)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.i18n import N_, _
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
    """A rendered chart: its title (also the photo's caption), the PNG, and what it shows.

    `months` labels the x axis, one per month of the period; `y_range` is the
    value axis as drawn (a share ends at 100 %).
    """

    title: str
    png: bytes
    months: tuple[str, ...] = ()
    y_range: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class NoChart:
    """A chart left out because the period has too little data to draw it honestly."""

    title: str
    reason: str  # an English message id, translated when shown


# A chart needs at least this many months with figures: one bar or one dot is no trend.
MIN_MONTHS = 2
TOO_FEW_MONTHS = N_("the period has fewer than two months of figures")
NOTHING_RECORDED = N_("nothing was recorded in the period")
TOO_FEW_HANDLED = N_("fewer than two months had cases handled")

CASES_TITLE = N_("Questions, feedback and petitions received each month, by kind")
ON_TIME_TITLE = N_("Share of cases handled on time each month")
SUBSCRIBERS_TITLE = N_("Citizens subscribed to the commune's announcements, by month")

Drawn = Chart | NoChart


def report_charts(trend: Sequence[MonthFigures]) -> tuple[list[Chart], list[NoChart]]:
    """The cases' charts, or the subscribers' when no case chart could be drawn; and
    the charts left out, with why."""
    drawn = [c for c in (cases_by_month(trend), on_time_share(trend)) if c is not None]
    if not any(isinstance(c, Chart) for c in drawn):
        subscribers = subscribers_by_month(trend)
        # Named as left out only when it stands alone: without a cases source.
        if isinstance(subscribers, Chart) or (subscribers is not None and not drawn):
            drawn.append(subscribers)
    charts = [c for c in drawn if isinstance(c, Chart)]
    return charts, [c for c in drawn if isinstance(c, NoChart)]


def cases_by_month(trend: Sequence[MonthFigures]) -> Drawn | None:
    """Stacked bars: cases received each month, by kind (None: no cases source)."""
    months = [m for m in trend if m.cases is not None]
    if not months:
        return None
    if len(months) < MIN_MONTHS:
        return NoChart(CASES_TITLE, TOO_FEW_MONTHS)
    if not any(m.cases and m.cases.received for m in months):
        return NoChart(CASES_TITLE, NOTHING_RECORDED)
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
    axes.set_title(_(CASES_TITLE))
    axes.legend(fontsize=8)
    return _chart(figure, _(CASES_TITLE), labels)


def on_time_share(trend: Sequence[MonthFigures]) -> Drawn | None:
    """A line: the share of cases handled on time each month (months with none are gaps)."""
    months = [m for m in trend if m.cases is not None]
    if not months:
        return None
    shares = [m.cases.share_on_time if m.cases else None for m in months]
    if len(months) < MIN_MONTHS:
        return NoChart(ON_TIME_TITLE, TOO_FEW_MONTHS)
    if sum(s is not None for s in shares) < MIN_MONTHS:
        return NoChart(ON_TIME_TITLE, TOO_FEW_HANDLED)
    from matplotlib.ticker import PercentFormatter

    figure, axes = _figure()
    labels = [month_label(m.month) for m in months]
    values = [float("nan") if s is None else s * 100 for s in shares]
    # Positions, not categories: a month without a share keeps its place on the axis.
    places = list(range(len(labels)))
    # Not clipped: a dot at 100 % sits whole on the top of the axis.
    axes.plot(places, values, marker="o", color=_COLOURS[2], clip_on=False)
    axes.set_xticks(places, labels)
    axes.set_xlim(-0.5, len(labels) - 0.5)
    axes.set_ylim(0, 100)  # a share: the axis ends at 100 %
    axes.yaxis.set_major_formatter(PercentFormatter(xmax=100))
    axes.set_title(_(ON_TIME_TITLE), pad=12)
    return _chart(figure, _(ON_TIME_TITLE), labels)


def subscribers_by_month(trend: Sequence[MonthFigures]) -> Drawn | None:
    """Bars: subscribers at the end of each month; a line: new subscribers that month."""
    months = [m for m in trend if m.subscribers is not None]
    if not months:
        return None
    if len(months) < MIN_MONTHS:
        return NoChart(SUBSCRIBERS_TITLE, TOO_FEW_MONTHS)
    totals = [m.subscribers.total if m.subscribers else 0 for m in months]
    new = [m.subscribers.new if m.subscribers else 0 for m in months]
    if not any(totals) and not any(new):
        return NoChart(SUBSCRIBERS_TITLE, NOTHING_RECORDED)
    figure, axes = _figure()
    labels = [month_label(m.month) for m in months]
    axes.bar(labels, totals, color=_COLOURS[0], label=_("Subscribed at the end of the month"))
    axes.plot(labels, new, marker="o", color=_COLOURS[1], label=_("New subscribers"))
    axes.set_title(_(SUBSCRIBERS_TITLE))
    axes.legend(fontsize=8)
    return _chart(figure, _(SUBSCRIBERS_TITLE), labels)


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


def _chart(figure: Figure, title: str, labels: list[str]) -> Chart:
    y_low, y_high = figure.axes[0].get_ylim()
    return Chart(title, _png(figure), tuple(labels), (float(y_low), float(y_high)))


def _png(figure: Figure) -> bytes:
    for axes in figure.axes:
        if len(axes.get_xticklabels()) > 6:
            axes.tick_params(axis="x", labelrotation=45)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
