"""What the phase engine's steps call for: the messages a case run queues in its outbox, in the
transaction that took the steps (prompts, edits of a prompt, the owner's summary, nudges)."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from methods.engine import (
    HEADS_UP_MINUTES,
    Step,
    StepKind,
    ends_at,
)
from methods.library import Method
from rendering.followup_messages import takeaway_request
from rendering.run_messages import (
    closed_round,
    closing_soon_message,
    coach_paused_message,
    heads_up_note,
    nudge_message,
    owner_summary,
    phase_prompt,
    time_up_message,
)
from storage.models import CaseRun
from storage.runs import (
    contributions,
    outgoing,
    queue_message,
)
from usecases.asynchronous import (
    NUDGE_LEAD,
    audience,
)
from usecases.followup import open_takeaway
from usecases.live.state import facts_of, state_of, waiting_for
from usecases.meetings import group_translator
from usecases.people import known_translator

logger = logging.getLogger(__name__)


# Kinds of outbox messages: the parent message, a message in its thread, a DM to the case
# owner, a DM to a member (the body names the channel), and "finished" (start the next case).
PARENT, THREAD, OWNER, MEMBER, FINISHED = "parent", "thread", "owner", "member", "finished"


EDIT = "edit"  # a change to a message the run posted before (by its key): no new message


def queue_steps(
    session: Session,
    run: CaseRun,
    steps: list[Step],
    scale: float,
    now: datetime,
    out: list[dict[str, Any]],
) -> None:
    """Add what the steps call for to `out`, the messages that the transaction that took them
    puts in the outboxes (`queue_messages`)."""
    if not steps:
        return
    tr = group_translator(run.meeting.group)
    facts = facts_of(session, run, scale)
    method = facts.method
    for step in steps:
        phase = method.phases[step.phase]
        key = f"run:{run.id}:p{step.phase}"
        message = None
        if step.kind is StepKind.PHASE_STARTED:
            message, key = phase_prompt(tr, facts), f"{key}:prompt"
        elif step.kind is StepKind.HEADS_UP:
            # Said in the phase's own prompt, edited: no new message in the thread.
            edit = {
                "prompt": f"{key}:prompt",
                "message": phase_prompt(tr, facts, heads_up_note(tr, facts, HEADS_UP_MINUTES)),
            }
            body = json.dumps(edit)
            out.append(outgoing(run.id, f"{key}:heads_up:{run.extra_minutes}", EDIT, body, now))
        elif step.kind is StepKind.TIME_UP:
            message, key = time_up_message(tr, facts), f"{key}:time_up:{run.extra_minutes}"
        elif step.kind is StepKind.PHASE_ENDED and phase.collect:
            # The round's prompt is edited to show what was collected: no new message.
            items = [c.text for c in contributions(session, run.id, phase.id)]
            ended = replace(facts, phase=step.phase)
            edit = {"prompt": f"{key}:prompt", "message": closed_round(tr, ended, items)}
            out.append(outgoing(run.id, f"{key}:collected", EDIT, json.dumps(edit), now))
        elif step.kind is StepKind.FINISHED:
            collected = [
                (p, [c.text for c in contributions(session, run.id, p.id)])
                for p in method.phases
                if p.collect
            ]
            own = known_translator(
                session, run.meeting.group.team_id, run.case.owner_id, tr.language
            )
            summary = owner_summary(own, run.case.title, [(p, i) for p, i in collected if i])
            takeaway_id = open_takeaway(session, run, now)
            request = takeaway_request(own, takeaway_id, facts.title, nudge=False)
            summary = {**summary, "blocks": [*summary["blocks"], *request["blocks"]]}
            body = json.dumps(summary)
            out.append(outgoing(run.id, f"run:{run.id}:summary", OWNER, body, now))
            out.append(outgoing(run.id, f"run:{run.id}:finished", FINISHED, None, now))
        if message is not None:
            out.append(outgoing(run.id, key, THREAD, json.dumps(message), now))


def nudge_if_due(
    session: Session, run: CaseRun, method: Method, now: datetime, scale: float
) -> None:
    """Once per round, before it closes: a note in the thread, and a DM to each member who has
    not contributed yet."""
    state = state_of(run)
    end = ends_at(method, state, scale)
    phase = method.phases[state.phase]
    if end is None or not phase.round or run.nudged_phase == state.phase:
        return
    group = audience(session, run)
    closes = group.next_moment(end)
    if now < group.nudge_moment(state.phase_started_at, closes, NUDGE_LEAD / scale):
        return
    run.nudged_phase = state.phase
    waiting = waiting_for(session, run, method)
    if not waiting:
        return
    tr = group_translator(run.meeting.group)
    facts = facts_of(session, run, scale)
    key = f"run:{run.id}:p{state.phase}:nudge"
    note = json.dumps(closing_soon_message(tr, facts, len(waiting)))
    queue_message(session, run.id, key, THREAD, note, now)
    channel = run.meeting.group.channel_id
    for member in waiting:
        own = known_translator(session, run.meeting.group.team_id, member, tr.language)
        dm = {"channel": member, **nudge_message(own, facts, channel)}
        queue_message(session, run.id, f"{key}:{member}", MEMBER, json.dumps(dm), now)


def coach_paused(run: CaseRun, coach_id: str, now: datetime) -> dict[str, Any]:
    """The coach who observes paused the case (in an emergency): said in its thread."""
    tr = group_translator(run.meeting.group)
    message = json.dumps(coach_paused_message(tr, coach_id))
    key = f"run:{run.id}:p{run.phase}:coach_paused:{int(now.timestamp())}"
    return outgoing(run.id, key, THREAD, message, now)
