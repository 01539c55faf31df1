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

from bot.delivery import send_once
from bot.files import File, dm_files
from bot.markup import escape
from bot.meetings import group_translator, group_zone
from bot.services import Services
from handlers.blocks.review_chart import review_chart, review_text
from methods.review import HeldMeeting, YearReview, averages, goal_counts, review_due
from storage.attendance import group_history
from storage.groups import get_group
from storage.models import Group
from storage.review import goal_statuses, meetings_to_come, scores_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Picture:
    """A year review as it is sent: the chart, its words, where it goes."""

    png: bytes
    text: str
    title: str
    filename: str
    channel_id: str


def year_review(services: Services, group_id: int, year: int) -> YearReview | None:
    with services.db() as session:
        group = get_group(session, group_id)
        if group is None:
            return None
        tz = group_zone(group)
        held = [
            (record, present)
            for record, present in group_history(session, group_id)
            if record.started_at.astimezone(tz).year == year
        ]
        ids = [record.meeting_id for record, _ in held]
        scores = scores_of(session, ids)
        members = len(group.member_ids)
        meetings = []
        for record, present in held:
            safety, usefulness = averages(scores.get(record.meeting_id, []))
            meetings.append(
                HeldMeeting(
                    day=record.started_at.astimezone(tz).date(),
                    minutes=record.minutes,
                    present=present,
                    members=members,
                    safety=safety,
                    usefulness=usefulness,
                )
            )
        return YearReview(
            group_name=group.name,
            year=year,
            meetings=tuple(meetings),
            goals=goal_counts(goal_statuses(session, group_id, ids)),
        )


def picture(services: Services, group_id: int, year: int) -> Picture | None:
    review = year_review(services, group_id, year)
    with services.db() as session:
        group = get_group(session, group_id)
        if review is None or group is None:
            return None
        tr, channel_id = group_translator(group), group.channel_id
    return Picture(
        png=review_chart(tr, review),
        text=review_text(tr, review),
        title=tr.text("review.file_title", name=review.group_name, year=year),
        filename=f"intervisie-{year}.png",
        channel_id=channel_id,
    )


def post_review(services: Services, group_id: int, year: int) -> bool:
    """Post the year's review in the group's channel; False when the group is gone."""
    made = picture(services, group_id, year)
    if made is None:
        return False
    _upload(services, made, made.channel_id, escape(made.text))
    logger.info("posted the review of %s for group %s", year, group_id)
    return True


def _upload(services: Services, made: Picture, channel: str, comment: str) -> SlackResponse:
    return services.client.files_upload_v2(
        channel=channel,
        content=made.png,
        filename=made.filename,
        title=made.title,
        alt_txt=made.text[:1000],
        initial_comment=comment,
    )


def send_due_reviews(services: Services) -> None:
    """Every group whose year review is due gets it, once: the facilitator by DM, else the
    channel. Each through the workspace that acts for the group."""
    now = services.clock()
    with services.db() as session:
        groups = [
            (g.id, g.team_id, group_zone(g))
            for g in session.scalars(select(Group).where(Group.paused_at.is_(None)))
        ]
    for group_id, team_id, tz in groups:
        year = now.astimezone(tz).year
        end = datetime(year + 1, 1, 1, tzinfo=tz)
        with services.db() as session:
            due = review_due(now, tz, meetings_to_come(session, group_id, now, end))
        workspace = services.in_workspace(team_id) if due is not None else None
        if workspace is not None and due is not None:
            _send_due(workspace, group_id, due)


def _send_due(services: Services, group_id: int, year: int) -> None:
    with services.db() as session:
        group = get_group(session, group_id)
        if group is None:
            return
        facilitator, tr, name = group.facilitator_id, group_translator(group), group.name
    made = picture(services, group_id, year)
    if made is None:
        return
    comment = tr.text("review.comment_for_facilitator", name=name, year=year)

    def send() -> SlackResponse:
        if facilitator is not None:
            file = File(made.png, made.filename, made.title, made.text[:1000])
            words = escape(f"{comment}\n\n{made.text}")
            return dm_files(services.client, facilitator, words, [file])
        return _upload(services, made, made.channel_id, escape(made.text))

    send_once(services, f"review:{group_id}:{year}", send)
