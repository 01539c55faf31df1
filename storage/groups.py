"""Repository for intervisie groups and their members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from methods.coaching import COACHING
from methods.groups import GroupFields
from storage.meetings import forget_keys_naming
from storage.models import Delivery, Group, GroupMember, Person, Proposal


def group_in_channel(session: Session, team_id: str, channel_id: str) -> Group | None:
    """The group of a channel, in the workspace that asks."""
    query = select(Group).where(Group.team_id == team_id, Group.channel_id == channel_id)
    return session.scalars(query).one_or_none()


def home_of_channel(session: Session, channel_id: str) -> str | None:
    """The workspace that acts for the group in a channel, whichever workspace asks: a channel
    shared between organisations holds one group (requests are routed to its workspace, which
    then finds the group with `group_in_channel`)."""
    return session.scalar(select(Group.team_id).where(Group.channel_id == channel_id))


def homes_of_member(session: Session, user_id: str) -> list[str]:
    """The workspaces acting for the groups `user_id` belongs to (to serve a member whose own
    workspace did not install the app)."""
    query = (
        select(Group.team_id)
        .outerjoin(GroupMember)
        .where(or_(GroupMember.user_id == user_id, Group.facilitator_id == user_id))
        .distinct()
        .order_by(Group.team_id)
    )
    return list(session.scalars(query))


def groups_without_panel(session: Session) -> list[tuple[str, int]]:
    """(workspace, group id) of the active groups whose panel was never posted (where the bot
    posted the welcome, so it is in the channel)."""
    query = (
        select(Group.team_id, Group.id)
        .where(Group.panel_ts.is_(None), Group.welcome_ts.is_not(None), Group.paused_at.is_(None))
        .order_by(Group.id)
    )
    return [(team_id, group_id) for team_id, group_id in session.execute(query)]


def move_channel(session: Session, team_id: str, old: str, new: str) -> int | None:
    """The group's channel got a new id (a private channel shared with other organisations):
    the group, its polls and the messages the bot keeps updating follow it. The group's id,
    when a group lived in that channel."""
    group = group_in_channel(session, team_id, old)
    if group is None:
        return None
    group.channel_id = new
    session.execute(update(Proposal).where(Proposal.channel_id == old).values(channel_id=new))
    session.execute(update(Delivery).where(Delivery.channel == old).values(channel=new))
    return group.id


def get_group(session: Session, group_id: int) -> Group | None:
    return session.get(Group, group_id)


def groups_of(session: Session, team_id: str, user_id: str) -> Sequence[Group]:
    """The groups of the workspace that `user_id` is a member or the facilitator of."""
    member_of = select(GroupMember.group_id).where(GroupMember.user_id == user_id)
    query = select(Group).where(
        Group.team_id == team_id, Group.id.in_(member_of) | (Group.facilitator_id == user_id)
    )
    return session.scalars(query.order_by(Group.name)).all()


def save_group(
    session: Session,
    channel_id: str,
    fields: GroupFields,
    now: datetime,
    group: Group | None = None,
    *,
    team_id: str,
    enterprise_id: str | None = None,
) -> Group:
    """Create the channel's group in the workspace, or update `group` with the modal's fields."""
    if group is None:
        group = Group(
            team_id=team_id, enterprise_id=enterprise_id, channel_id=channel_id, created_at=now
        )
        session.add(group)
    if fields.facilitator_id and fields.facilitator_id != group.facilitator_id:
        # A new coach starts coaching; what an earlier coach stepped back from is history.
        group.coach_stance, group.coach_step_at, group.coach_step_from = COACHING, None, None
        group.former_coach_id = group.runs_itself_since = None
    for name, value in asdict(fields).items():
        if name != "member_ids":
            setattr(group, name, value)
    group.updated_at = now
    wanted = list(dict.fromkeys(fields.member_ids))
    group.members = [
        next((m for m in group.members if m.user_id == user_id), None)
        or GroupMember(user_id=user_id)
        for user_id in wanted
    ]
    session.flush()
    return group


def fields_of(group: Group) -> GroupFields:
    values = {f.name: getattr(group, f.name) for f in dataclass_fields(GroupFields)}
    return GroupFields(**{**values, "member_ids": tuple(group.member_ids)})


def remove_members(session: Session, group: Group, user_ids: Sequence[str], now: datetime) -> None:
    """They no longer belong to the group (their organisation left its shared channel); what
    they shared stays with the group."""
    group.members = [m for m in group.members if m.user_id not in user_ids]
    if group.facilitator_id in user_ids:
        group.facilitator_id = None
    group.updated_at = now


def pause_group(session: Session, group: Group, reason: str, now: datetime) -> bool:
    """Stop the group's timers (its channel is gone for the bot). False if already paused."""
    if group.paused_at is not None:
        return False
    group.paused_at = now
    group.pause_reason = reason
    session.flush()
    return True


def resume_group(session: Session, group: Group) -> bool:
    """Let the group's timers run again. False if it was not paused."""
    if group.paused_at is None:
        return False
    group.paused_at = None
    group.pause_reason = None
    session.flush()
    return True


def adopt_rows(session: Session, team_id: str) -> int:
    """Give the groups and people of a database from before many workspaces to its one
    workspace (they have no team yet). How many groups it adopted."""
    adopted = session.execute(update(Group).where(Group.team_id == "").values(team_id=team_id))
    session.execute(update(Person).where(Person.team_id == "").values(team_id=team_id))
    return int(adopted.rowcount or 0)  # type: ignore[attr-defined]


def forget_workspace(session: Session, team_id: str) -> int:
    """Delete everything the bot keeps of a workspace: its groups with their meetings, cases,
    contributions, takeaways, goals, evaluations and attendance (the database cascades), the
    messages it recorded in their channels, and its people. How many groups went."""
    channels = select(Group.channel_id).where(Group.team_id == team_id)
    session.execute(delete(Delivery).where(Delivery.channel.in_(channels)))
    people = session.scalars(select(Person.user_id).where(Person.team_id == team_id)).all()
    members = session.scalars(
        select(GroupMember.user_id).join(Group).where(Group.team_id == team_id)
    ).all()
    gone = session.execute(delete(Group).where(Group.team_id == team_id))
    session.execute(delete(Person).where(Person.team_id == team_id))
    forget_keys_naming(session, [team_id, *sorted({*people, *members})])
    return int(gone.rowcount or 0)  # type: ignore[attr-defined]
