"""The group's year in review: a chart and its text alternative, posted in the group's
channel on request (`/intervisie review`, the panel, the App Home), and once a year by
itself: from 1 December, when the year holds no meeting still to come, to the facilitator by
DM (or, without one, in the channel)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web import SlackResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from methods.review import (
    HeldMeeting,
    YearReview,
    averages,
    goal_counts,
    review_due,
    review_season,
)
from rendering.i18n import Translator
from rendering.markup import escape
from rendering.review_chart import review_chart, review_text
from storage.attendance import group_history
from storage.groups import get_group
from storage.models import Group
from storage.review import goal_statuses, meetings_to_come, scores_of
from usecases.delivery import send_once_soon
from usecases.meetings import group_translator, group_zone
from usecases.services import Services

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reviewed:
    """A group's year as the review shows it, with where it goes (read in one session)."""

    review: YearReview
    tr: Translator
    channel_id: str
    facilitator_id: str | None


def _reviewed(session: Session, group: Group, year: int) -> Reviewed:
    tz = group_zone(group)
    held = [
        (record, present)
        for record, present in group_history(session, group.id)
        if record.started_at.astimezone(tz).year == year
    ]
    ids = [record.meeting_id for record, _ in held]
    scores = scores_of(session, ids)
    meetings = []
    for record, present in held:
        safety, usefulness = averages(scores.get(record.meeting_id, []))
        meetings.append(
            HeldMeeting(
                day=record.started_at.astimezone(tz).date(),
                minutes=record.minutes,
                present=present,
                members=len(group.member_ids),
                safety=safety,
                usefulness=usefulness,
            )
        )
    review = YearReview(
        group_name=group.name,
        year=year,
        meetings=tuple(meetings),
        goals=goal_counts(goal_statuses(session, group.id, ids)),
    )
    return Reviewed(review, group_translator(group), group.channel_id, group.facilitator_id)


def _read(services: Services, group_id: int, year: int) -> Reviewed | None:
    with services.db() as session:
        group = get_group(session, group_id)
        return None if group is None else _reviewed(session, group, year)


def _upload(services: Services, reviewed: Reviewed, channel: str, comment: str) -> SlackResponse:
    """The chart (drawn now, outside any database session) with its words."""
    review, tr = reviewed.review, reviewed.tr
    words = review_text(tr, review)
    return services.client.files_upload_v2(
        channel=channel,
        content=review_chart(tr, review),
        filename=f"intervisie-{review.year}.png",
        title=tr.text("review.file_title", name=review.group_name, year=review.year),
        alt_txt=words[:1000],
        initial_comment=escape(f"{comment}\n\n{words}" if comment else words),
    )


def post_review(services: Services, group_id: int, year: int) -> bool:
    """Post the year's review in the group's channel; False when the group is gone."""
    reviewed = _read(services, group_id, year)
    if reviewed is None:
        return False
    _upload(services, reviewed, reviewed.channel_id, "")
    logger.info("posted the review of %s for group %s", year, group_id, extra={"group": group_id})
    return True


def send_due_reviews(services: Services) -> None:
    """Every group whose year review is due gets it, once: the facilitator by DM, else the
    channel. Each through the workspace that acts for the group. Before December nothing is
    read beyond the groups' time zones."""
    now = services.clock()
    with services.db() as session:
        groups = [
            (g.id, g.team_id, group_zone(g))
            for g in session.scalars(select(Group).where(Group.paused_at.is_(None)))
        ]
    for group_id, team_id, tz in groups:
        year = review_season(now, tz)
        if year is None:
            continue
        end = datetime(year + 1, 1, 1, tzinfo=tz)
        with services.db() as session:
            due = review_due(now, tz, meetings_to_come(session, group_id, now, end))
        workspace = services.in_workspace(team_id) if due is not None else None
        if workspace is not None and due is not None:
            _send_due(workspace, group_id, due)


def _send_due(services: Services, group_id: int, year: int) -> None:
    reviewed = _read(services, group_id, year)
    if reviewed is None:
        return
    facilitator = reviewed.facilitator_id

    def send() -> SlackResponse:  # drawn only by the one caller that sends it
        if facilitator is None:
            return _upload(services, reviewed, reviewed.channel_id, "")
        dm = services.client.conversations_open(users=facilitator)["channel"]["id"]
        name = reviewed.review.group_name
        comment = reviewed.tr.text("review.comment_for_facilitator", name=name, year=year)
        return _upload(services, reviewed, str(dm), comment)

    send_once_soon(services, f"review:{group_id}:{year}", send)
