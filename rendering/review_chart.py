"""The group's year in one picture (PNG, drawn headless with matplotlib's Agg backend), and its
text alternative for screen readers. Pure: tests call them directly.

The picture has its own light background and dark ink, so it reads the same in Slack's light
and dark themes; colours come from a palette that stays apart for colour-blind readers."""

from __future__ import annotations

import io
import warnings
from datetime import date

from matplotlib.axes import Axes
from matplotlib.dates import MonthLocator, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from methods.review import YearReview
from rendering.attendance_files import duration_text
from rendering.i18n import Translator

INK, PAPER, GRID = "#1d1c1d", "#ffffff", "#dddddd"
BARS, SAFETY, USEFULNESS = "#4c72b0", "#dd8452", "#55a868"
GOAL_COLOURS = ("#55a868", "#8172b3", "#dd8452", "#937860")
DPI = 100


def review_chart(tr: Translator, review: YearReview) -> bytes:
    """The picture as a PNG file. A character the font lacks (an emoji in a group's name)
    shows as a box; matplotlib's warning of it would only be noise outside the log."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        review_figure(tr, review).savefig(out, format="png", facecolor=PAPER)
    return out.getvalue()


def review_figure(tr: Translator, review: YearReview) -> Figure:
    """Three panels: the meetings on a time line (length, and how many were present), the
    average safety and usefulness of the meetings with enough answers, and the goals' outcomes."""
    figure = Figure(figsize=(9, 9), dpi=DPI, facecolor=PAPER, layout="constrained")
    figure.suptitle(
        tr.text("review.title", name=review.group_name, year=review.year), color=INK, fontsize=15
    )
    timeline, scores, goals = figure.subplots(3, 1, height_ratios=(3, 3, 2))
    for axes in (timeline, scores, goals):
        axes.set_facecolor(PAPER)
        axes.tick_params(colors=INK)
        for spine in axes.spines.values():
            spine.set_color(GRID)
    _timeline(tr, review, timeline)
    _scores(tr, review, scores)
    _goals(tr, review, goals)
    return figure


def _empty(axes: Axes, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", color=INK, transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def _timeline(tr: Translator, review: YearReview, axes: Axes) -> None:
    axes.set_title(tr.text("review.meetings_title"), color=INK, loc="left")
    if not review.meetings:
        _empty(axes, tr.text("review.no_meetings", year=review.year))
        return
    days = [m.day for m in review.meetings]
    bars = axes.bar(days, [m.minutes for m in review.meetings], width=6, color=BARS)
    for bar, meeting in zip(bars, review.meetings, strict=True):
        axes.annotate(
            tr.text("review.present_label", present=meeting.present, members=meeting.members),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            color=INK,
            fontsize=9,
        )
    axes.set_ylabel(tr.text("review.minutes_axis"), color=INK)
    axes.set_ylim(0, max(m.minutes for m in review.meetings) * 1.25)
    _year_axis(tr, review, axes)


def _year_axis(tr: Translator, review: YearReview, axes: Axes) -> None:
    """The whole year from January to December, its months named in the reader's language."""
    months = tr.text("review.months").split()
    axes.set_xlim(date(review.year, 1, 1), date(review.year, 12, 31))
    axes.xaxis.set_major_locator(MonthLocator())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: months[num2date(x).month - 1]))
    axes.grid(axis="y", color=GRID)


def _scores(tr: Translator, review: YearReview, axes: Axes) -> None:
    axes.set_title(tr.text("review.scores_title"), color=INK, loc="left")
    evaluated = review.evaluated
    if not evaluated:
        _empty(axes, tr.text("review.no_scores"))
        return
    days = [m.day for m in evaluated]
    axes.plot(
        days, [m.safety for m in evaluated], "o-", color=SAFETY, label=tr.text("review.safety")
    )
    axes.plot(
        days,
        [m.usefulness for m in evaluated],
        "s--",
        color=USEFULNESS,
        label=tr.text("review.usefulness"),
    )
    axes.set_ylim(0.5, 5.5)
    axes.set_yticks([1, 2, 3, 4, 5])
    _year_axis(tr, review, axes)
    axes.legend(loc="lower left", facecolor=PAPER, labelcolor=INK, edgecolor=GRID)


def _goals(tr: Translator, review: YearReview, axes: Axes) -> None:
    axes.set_title(tr.text("review.goals_title"), color=INK, loc="left")
    if not any(count for _, count in review.goals):
        _empty(axes, tr.text("review.no_goals"))
        return
    labels = [tr.text(f"followup.status.{outcome}") for outcome, _ in review.goals]
    counts = [count for _, count in review.goals]
    bars = axes.barh(labels, counts, color=GOAL_COLOURS)
    axes.bar_label(bars, color=INK)
    axes.invert_yaxis()
    axes.set_xticks([])


def review_text(tr: Translator, review: YearReview) -> str:
    """The same facts in words: the picture's text alternative, and the message with it."""
    lines = [tr.text("review.title", name=review.group_name, year=review.year)]
    if not review.meetings:
        lines.append(tr.text("review.no_meetings", year=review.year))
    else:
        lines.append(
            tr.text(
                "review.summary",
                count=len(review.meetings),
                duration=duration_text(tr, review.total_minutes),
            )
        )
        for meeting in review.meetings:
            line = tr.text(
                "review.meeting_line",
                day=tr.date(meeting.day),
                minutes=meeting.minutes,
                present=meeting.present,
                members=meeting.members,
            )
            if meeting.safety is not None and meeting.usefulness is not None:
                line += " " + tr.text(
                    "review.scores_line",
                    safety=tr.decimal(meeting.safety),
                    usefulness=tr.decimal(meeting.usefulness),
                )
            lines.append(f"• {line}")
        lines.append(tr.text("review.anonymity"))
    goals = ", ".join(
        f"{tr.text(f'followup.status.{outcome}')}: {count}" for outcome, count in review.goals
    )
    lines.append(tr.text("review.goals_line", goals=goals))
    return "\n".join(lines)
