"""The live session in the channel: one parent message per case (kept current), a reply for
every phase, heads-ups, collected contributions, and the opening and closing rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from methods.library import Method, Phase
from rendering.blocks import Block, button, confirm_dialog, context, header, section
from rendering.i18n import Translator
from rendering.markup import Mrkdwn, channel, date, fmt, join, mention

NEXT = "run_next"
EXTEND = "run_extend"
PAUSE = "run_pause"
RESUME = "run_resume"
END = "run_end"
ADD = "run_add"
ROLES = "run_roles"
NOTE = "run_note"


@dataclass(frozen=True)
class RunFacts:
    run_id: int
    title: str
    owner_id: str
    method: Method
    phase: int
    ends_at: datetime | None
    paused: bool
    finished: bool
    chair_id: str | None
    timekeeper_id: str | None
    collected: int
    tz: ZoneInfo
    asynchronous: bool = False  # phases of hours and days, posted in working time
    coached: bool = False  # the group has a coach (who may add a coach's note)
    coach_observes: bool = False  # the coach stepped back: the prompts speak to the chair
    tips: tuple[tuple[str, str], ...] = ()  # the group's tips for this method: (phase id, tip)

    @property
    def current(self) -> Phase:
        return self.method.phases[self.phase]


def clock_time(moment: datetime, tz: ZoneInfo) -> str:
    """A time of day each member reads in their own zone."""
    return date(int(moment.timestamp()), "{time}", f"{moment.astimezone(tz):%H:%M}")


def day_and_time(moment: datetime, tz: ZoneInfo) -> str:
    """A day and time each member reads in their own zone (for phases that last days)."""
    fallback = f"{moment.astimezone(tz):%Y-%m-%d %H:%M}"
    return date(int(moment.timestamp()), "{date_short_pretty} {time}", fallback)


def ends_text(facts: RunFacts, moment: datetime) -> str:
    return day_and_time(moment, facts.tz) if facts.asynchronous else clock_time(moment, facts.tz)


def span(tr: Translator, minutes: int) -> str:
    """A phase's length: minutes in a live case, hours or days in an asynchronous one."""
    if minutes < 180:
        return tr.t("run.span_minutes", minutes=minutes)
    if minutes % (24 * 60) == 0:
        return tr.t("run.span_days", count=minutes // (24 * 60))
    return tr.t("run.span_hours", hours=round(minutes / 60))


def _person(tr: Translator, user_id: str | None) -> str:
    return mention(user_id) if user_id else tr.t("run.nobody")


def _who(tr: Translator, facts: RunFacts) -> str:
    """Who acts in the phase. The owner is mentioned only when their turn comes back after
    others spoke (the case's parent message named them at its start)."""
    phase, index = facts.current, facts.phase
    who = tr.t(f"run.who.{phase.who}")
    if phase.who == "owner" and index > 0 and facts.method.phases[index - 1].who != "owner":
        who = fmt("{} {}", who, tr.t("run.your_turn", owner=mention(facts.owner_id)))
    if phase.round:
        who = fmt("{} {}", who, tr.t("run.in_turn"))
    return who


def _status(tr: Translator, facts: RunFacts) -> str:
    if facts.finished:
        return tr.t("run.status_done")
    number, total = facts.phase + 1, len(facts.method.phases)
    name = facts.current.title(tr.language)
    if facts.paused:
        return tr.t("run.status_paused", number=number, total=total, phase=name)
    if facts.ends_at is None:
        return tr.t("run.status_waiting", number=number, total=total, phase=name)
    return tr.t(
        "run.status",
        number=number,
        total=total,
        phase=name,
        ends=ends_text(facts, facts.ends_at),
    )


def _timeline(tr: Translator, facts: RunFacts) -> str:
    lines = []
    for index, phase in enumerate(facts.method.phases):
        mark = (
            "✓" if index < facts.phase or facts.finished else ("▶" if index == facts.phase else "·")
        )
        lines.append(
            fmt(
                "{} {}. {} ({})", mark, index + 1, phase.title(tr.language), span(tr, phase.minutes)
            )
        )
    return join("\n", lines)


def _round(facts: RunFacts) -> str:
    """An add button's value: the case run and the phase it adds to ("12:3")."""
    return f"{facts.run_id}:{facts.phase}"


def closed_round(tr: Translator, facts: RunFacts, items: Sequence[str]) -> dict[str, Any]:
    """The prompt of `facts`' phase once its round has ended: edited to show what the group
    collected, its buttons gone (no new message in the thread)."""
    phase = facts.current
    prompt = phase_prompt(tr, replace(facts, ends_at=None))
    title = tr.t(f"run.collected_title.{phase.collect}", phase=phase.title(tr.language))
    lines = _bullets(items) or tr.t("run.collected_none")
    blocks = [b for b in prompt["blocks"] if b.get("type") != "actions"]
    blocks += [section(fmt("*{}*\n{}", title, lines)), context(tr.t("run.round_closed"))]
    return {**prompt, "blocks": blocks}


def _controls(tr: Translator, facts: RunFacts) -> list[Block]:
    value = str(facts.run_id)
    pause = (
        button(tr.t("run.resume"), RESUME, value)
        if facts.paused
        else button(tr.t("run.pause"), PAUSE, value)
    )
    end = button(tr.t("run.end"), END, value, "danger")
    end["confirm"] = confirm_dialog(tr, "run.end", tr.t("run.end_text"))
    elements = [
        button(tr.t("run.next"), NEXT, value, "primary"),
        button(tr.t("run.extend_day" if facts.asynchronous else "run.extend"), EXTEND, value),
        pause,
        end,
        button(tr.t("run.roles"), ROLES, value),
    ]
    if facts.coached:
        elements.append(button(tr.t("coach.note"), NOTE, value))
    blocks: list[Block] = [
        {"type": "actions", "block_id": f"run:{facts.run_id}", "elements": elements}
    ]
    if facts.current.collect:
        blocks.append(
            {
                "type": "actions",
                "block_id": f"collect:{facts.run_id}",
                "elements": [
                    button(tr.t(f"run.add.{facts.current.collect}"), ADD, _round(facts)),
                ],
            }
        )
        blocks.append(context(tr.t("run.collected", count=facts.collected)))
    return blocks


def parent_message(tr: Translator, facts: RunFacts) -> dict[str, Any]:
    title = tr.t("run.title", title=facts.title)
    roles = tr.t(
        "run.roles_line",
        owner=mention(facts.owner_id),
        method=facts.method.named(tr.language),
        chair=_person(tr, facts.chair_id),
        timekeeper=_person(tr, facts.timekeeper_id),
    )
    blocks: list[Block] = [
        header(title),
        section(roles),
        section(_timeline(tr, facts)),
        section(fmt("*{}*", _status(tr, facts))),
    ]
    if not facts.finished:
        blocks += _controls(tr, facts)
    return {"text": title, "blocks": blocks}


def phase_prompt(tr: Translator, facts: RunFacts, note: str | None = None) -> dict[str, Any]:
    """A phase's prompt in its case's thread; `note`: what it says as the phase nears its end
    (the prompt is edited, so nobody gets one more message)."""
    phase = facts.current
    heading = tr.t(
        "run.phase_heading",
        number=facts.phase + 1,
        total=len(facts.method.phases),
        phase=phase.title(tr.language),
        duration=span(tr, phase.minutes),
    )
    questions = join("\n", (fmt("• _{}_", q(tr.language)) for q in phase.questions))
    blocks: list[Block] = [
        section(fmt("*{}*\n{}", heading, _who(tr, facts))),
        section(fmt("{}\n{}", phase.prompt(tr.language), questions)),
    ]
    if phase.owner_listens:
        blocks.append(context(tr.t("run.owner_listens")))  # a mention only where one must act
    if facts.coach_observes:
        blocks.append(context(tr.t("run.chair_leads", chair=_person(tr, facts.chair_id))))
    tip = dict(facts.tips).get(phase.id)
    if tip:
        blocks.append(section(tr.t("run.our_tip", tip=tip)))
    if note is not None:
        blocks.append(context(note))
    elif facts.ends_at is not None:
        blocks.append(context(tr.t("run.ends_at", ends=ends_text(facts, facts.ends_at))))
    if facts.asynchronous and phase.round:
        blocks.append(context(tr.t("run.async_round")))
    if phase.collect:
        blocks.append(
            {
                "type": "actions",
                "elements": [button(tr.t(f"run.add.{phase.collect}"), ADD, _round(facts))],
            }
        )
    return {"text": heading, "blocks": blocks}


def heads_up_note(tr: Translator, facts: RunFacts, minutes: int) -> str:
    ends = ends_text(facts, facts.ends_at) if facts.ends_at else ""
    return tr.t("run.heads_up", minutes=minutes, ends=ends)


def closing_soon_message(tr: Translator, facts: RunFacts, waiting: int) -> dict[str, Any]:
    """An asynchronous round closes soon; the members who have not contributed got a DM."""
    phase = facts.current.title(tr.language)
    ends = ends_text(facts, facts.ends_at) if facts.ends_at else ""
    text = tr.t("run.closing_soon", phase=phase, ends=ends, count=waiting)
    return {"text": text, "blocks": [context(text)]}


def nudge_message(tr: Translator, facts: RunFacts, channel_id: str) -> dict[str, Any]:
    """The one DM a member gets before an asynchronous round closes without their part."""
    text = tr.t(
        "run.nudge",
        phase=facts.current.title(tr.language),
        title=facts.title,
        channel=channel(channel_id),
        ends=ends_text(facts, facts.ends_at) if facts.ends_at else "",
    )
    blocks: list[Block] = [section(text)]
    if facts.current.collect:
        label = tr.t(f"run.add.{facts.current.collect}")
        blocks.append({"type": "actions", "elements": [button(label, ADD, _round(facts))]})
    return {"text": text, "blocks": blocks}


def time_up_message(tr: Translator, facts: RunFacts) -> dict[str, Any]:
    text = tr.t(
        "run.time_up", phase=facts.current.title(tr.language), chair=_person(tr, facts.chair_id)
    )
    return {"text": text, "blocks": [section(text)]}


def _bullets(items: Sequence[str]) -> Mrkdwn:
    """What people wrote, one bullet each, shown as they typed it."""
    return join("\n", (fmt("• {}", item) for item in items))


def owner_summary(
    tr: Translator, title: str, collected: Sequence[tuple[Phase, Sequence[str]]]
) -> dict[str, Any]:
    intro = tr.t("run.summary_intro", title=title)
    blocks: list[Block] = [section(intro)]
    for phase, items in collected:
        blocks.append(section(fmt("*{}*\n{}", phase.title(tr.language), _bullets(items))))
    if not collected:
        blocks.append(section(tr.t("run.summary_empty")))
    blocks.append(context(tr.t("run.summary_private")))
    return {"text": intro, "blocks": blocks[:50]}


def opening_message(
    tr: Translator,
    group_name: str,
    titles: Sequence[str],
    follow_ups: str,
    *,
    opened_by: str | None,
    presence: Sequence[Block] = (),
    asynchronous: bool = False,
) -> dict[str, Any]:
    """The check-in, last time's goals as far as owners shared them, today's cases and, for a
    meeting held live, attendance: the meeting's one message at top level while it runs."""
    title = tr.t("run.opening_title", name=group_name)
    cases = join("\n", (fmt("{}. {}", n, t) for n, t in enumerate(titles, start=1))) or tr.t(
        "run.no_cases"
    )
    blocks = [header(title)]
    if opened_by:
        blocks.append(context(tr.t("run.opened_by", user=mention(opened_by))))
    blocks.append(section(tr.t("run.check_in")))
    if follow_ups:
        blocks.append(section(fmt("*{}*\n{}", tr.t("run.last_time"), follow_ups)))
    blocks.append(section(fmt("*{}*\n{}", tr.t("run.today"), cases)))
    if asynchronous:
        blocks.append(context(tr.t("run.async_started")))
    blocks.extend(presence)
    return {"text": title, "blocks": blocks}


def closing_message(tr: Translator, group_name: str) -> dict[str, Any]:
    title = tr.t("run.closing_title", name=group_name)
    return {"text": title, "blocks": [header(title), section(tr.t("run.closing_round"))]}


def coach_paused_message(tr: Translator, coach_id: str) -> dict[str, Any]:
    text = tr.t("run.coach_paused", coach=mention(coach_id))
    return {"text": text, "blocks": [context(text)]}
