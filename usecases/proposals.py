"""Finding a date: members mark which candidate times they can make, any member confirms one.
The same message proposes the next meeting at the group's cadence after each meeting."""

from __future__ import annotations

import logging
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse
from sqlalchemy.orm import Session

from methods.scheduling import default_case_slots, next_at_cadence
from rendering.poll_message import OptionFacts, PollFacts, poll_message
from storage.meetings import get_meeting, upcoming_meetings
from storage.models import Proposal, ProposalOption
from storage.proposals import CADENCE, CONFIRMED, OPEN, add_proposal, get_option, toggle_vote
from usecases.answers import Answer
from usecases.delivery import Outcome, send_once
from usecases.meetings import MeetingPlan, announce, group_translator, group_zone, plan_meeting
from usecases.panel import refresh_panel_of_meeting
from usecases.services import Services

logger = logging.getLogger(__name__)


def poll_facts(proposal: Proposal) -> PollFacts:
    return PollFacts(
        proposal_id=proposal.id,
        cadence=proposal.kind == CADENCE,
        group_name=proposal.group.name,
        created_by=proposal.created_by,
        minutes=proposal.minutes,
        location=proposal.location,
        options=tuple(
            OptionFacts(option.id, option.starts_at, tuple(option.voter_ids))
            for option in proposal.options
        ),
        confirmed_start=proposal.meeting.starts_at if proposal.meeting else None,
        confirmed_by=proposal.confirmed_by,
        tz=group_zone(proposal.group),
    )


def refresh_proposal(services: Services, proposal_id: int) -> None:
    """Show the current tally (or the confirmed time) in the proposal's message."""
    with services.refreshing(f"proposal:{proposal_id}"):
        with services.db() as session:
            proposal = session.get(Proposal, proposal_id)
            if proposal is None or proposal.message_ts is None or proposal.channel_id is None:
                return
            channel, ts = proposal.channel_id, proposal.message_ts
            message = poll_message(group_translator(proposal.group), poll_facts(proposal))
        try:
            services.client.chat_update(channel=channel, ts=ts, **message)
        except (SlackApiError, OSError):
            logger.exception("could not update the message of proposal %s", proposal_id)


def post_proposal(services: Services, proposal_id: int) -> SlackResponse:
    """Post the proposal in the group's channel and remember where it is."""
    with services.db() as session:
        proposal = session.get(Proposal, proposal_id)
        assert proposal is not None
        channel = proposal.group.channel_id
        message = poll_message(group_translator(proposal.group), poll_facts(proposal))
    posted = services.client.chat_postMessage(channel=channel, **message)
    with services.db.begin() as session:
        proposal = session.get(Proposal, proposal_id)
        assert proposal is not None
        proposal.channel_id = str(posted["channel"])
        proposal.message_ts = str(posted["ts"])
    return posted


def _open_option(
    session: Session, option_id: int, team_id: str, user_id: str
) -> ProposalOption | Answer:
    """The candidate time, if it is still open and `user_id` is in its group."""
    option = get_option(session, option_id)
    if option is None:
        return Answer.CLOSED
    if not option.proposal.group.may_act(team_id, user_id):
        return Answer.NOT_A_MEMBER
    if option.proposal.status != OPEN:
        return Answer.CLOSED
    return option


def vote(services: Services, option_id: int, user_id: str) -> Answer:
    """Toggle whether `user_id` can make this candidate time."""
    with services.db.begin() as session:
        option = _open_option(session, option_id, services.team_id, user_id)
        if isinstance(option, Answer):
            return option
        toggle_vote(session, option, user_id, services.clock())
        proposal_id = option.proposal_id
    refresh_proposal(services, proposal_id)
    return Answer.DONE


def confirm(services: Services, option_id: int, user_id: str) -> Answer:
    """Any member turns a candidate time into the meeting; the channel hears of it."""
    now = services.clock()
    with services.db.begin() as session:
        option = _open_option(session, option_id, services.team_id, user_id)
        if isinstance(option, Answer):
            return option
        if option.starts_at <= now:
            return Answer.IN_THE_PAST
        proposal = option.proposal
        plan = MeetingPlan(
            option.starts_at, proposal.minutes, proposal.location, proposal.case_slots
        )
        meeting = plan_meeting(session, proposal.group, plan, user_id, now)
        proposal.status = CONFIRMED
        proposal.meeting_id = meeting.id
        proposal.confirmed_by = user_id
        proposal_id, meeting_id = proposal.id, meeting.id
    services.scheduler.sync()
    refresh_proposal(services, proposal_id)
    announce(services, meeting_id, "new", user_id)
    refresh_panel_of_meeting(services, meeting_id)
    return Answer.DONE


def _next_at_cadence(services: Services, meeting_id: int) -> int | None:
    """Create the proposal for the next meeting; None when one is planned already."""
    now = services.clock()
    with services.db.begin() as session:
        meeting = get_meeting(session, meeting_id)
        if meeting is None or upcoming_meetings(session, meeting.group_id, now):
            return None
        group = meeting.group
        start = next_at_cadence(meeting.starts_at, group_zone(group), group.cadence_weeks)
        while start <= now + timedelta(days=1):
            start = next_at_cadence(start, group_zone(group), group.cadence_weeks)
        return add_proposal(
            session,
            group,
            kind=CADENCE,
            created_by=meeting.created_by,
            starts=[start],
            minutes=group.meeting_minutes,
            location=meeting.location,
            case_slots=default_case_slots(group.meeting_minutes),
            now=now,
        ).id


def propose_next_meeting(services: Services, meeting_id: int, key: str) -> Outcome:
    """After a meeting: offer the next one at the cadence, unless one is planned already."""

    def post() -> SlackResponse:
        proposal_id = _next_at_cadence(services, meeting_id)
        if proposal_id is None:
            raise NothingToPropose
        try:
            return post_proposal(services, proposal_id)
        except (SlackApiError, OSError):
            with services.db.begin() as session:
                orphan = session.get(Proposal, proposal_id)
                if orphan is not None:
                    session.delete(orphan)
            raise

    try:
        return send_once(services, key, post)
    except NothingToPropose:
        return Outcome.ALREADY_SENT


class NothingToPropose(Exception):
    """A meeting was planned in the meantime."""
