"""Repository for intervisie groups and their members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from methods.groups import GroupFields
from storage.models import Delivery, Group, GroupMember, Proposal


def group_in_channel(session: Session, channel_id: str) -> Group | None:
    return session.scalars(select(Group).where(Group.channel_id == channel_id)).one_or_none()


def move_channel(session: Session, old: str, new: str) -> int | None:
    """The group's channel got a new id (a private channel shared with other organisations):
    the group, its polls and the messages the bot keeps updating follow it. The group's id,
    when a group lived in that channel."""
    group = group_in_channel(session, old)
    if group is None:
        return None
    group.channel_id = new
    session.execute(update(Proposal).where(Proposal.channel_id == old).values(channel_id=new))
    session.execute(update(Delivery).where(Delivery.channel == old).values(channel=new))
    return group.id


def get_group(session: Session, group_id: int) -> Group | None:
    return session.get(Group, group_id)


def groups_of(session: Session, user_id: str) -> Sequence[Group]:
    member_of = select(GroupMember.group_id).where(GroupMember.user_id == user_id)
    query = select(Group).where((Group.id.in_(member_of)) | (Group.facilitator_id == user_id))
    return session.scalars(query.order_by(Group.name)).all()


def save_group(
    session: Session,
    channel_id: str,
    fields: GroupFields,
    now: datetime,
    group: Group | None = None,
) -> Group:
    """Create the channel's group, or update `group` with the modal's fields."""
    if group is None:
        group = Group(channel_id=channel_id, created_at=now)
        session.add(group)
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
