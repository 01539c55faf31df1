"""What members own: an export of everything stored about them, and being forgotten."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any

from rendering.i18n import Translator
from rendering.privacy_messages import export_markdown
from storage.db import wipe_history
from storage.privacy import everything_about, forget
from usecases.files import File, dm_files
from usecases.services import Services

logger = logging.getLogger(__name__)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(row, name)) for name in names}


def collect(services: Services, user_id: str) -> dict[str, Any]:
    """Everything stored about `user_id`, as plain JSON-ready data."""
    with services.db() as session:
        found = everything_about(session, services.team_id, user_id)
        return {
            "user_id": user_id,
            "exported_at": services.clock().isoformat(),
            "profile": [
                _row(
                    p,
                    (
                        "locale",
                        "tz",
                        "name",
                        "target_meetings",
                        "target_minutes",
                        "work_start",
                        "work_end",
                        "work_days",
                    ),
                )
                for p in found.people
            ],
            "groups": [
                {
                    **_row(g, ("id", "name", "channel_id")),
                    "role": "facilitator" if g.facilitator_id == user_id else "member",
                }
                for g in found.groups
            ],
            "cases": [
                _row(
                    c,
                    (
                        "id",
                        "group_id",
                        "meeting_id",
                        "title",
                        "situation",
                        "question",
                        "link",
                        "kind",
                        "method",
                        "urgency",
                        "status",
                        "created_at",
                        "purged_at",
                    ),
                )
                for c in found.cases
            ],
            "contributions": [
                _row(c, ("id", "run_id", "phase_id", "text", "created_at"))
                for c in found.contributions
            ],
            "takeaways": [
                _row(
                    t,
                    (
                        "id",
                        "group_id",
                        "meeting_id",
                        "case_title",
                        "learned",
                        "attention",
                        "goal",
                        "target_date",
                        "shared",
                        "status",
                        "reflection",
                    ),
                )
                for t in found.takeaways
            ],
            "evaluations": [
                _row(e, ("meeting_id", "safety", "usefulness", "remark", "created_at"))
                for e in found.evaluations
            ],
            "answers": [_row(a, ("meeting_id", "answer", "answered_at")) for a in found.answers],
            "attendance": [
                _row(a, ("meeting_id", "marked_by", "marked_at")) for a in found.attendance
            ],
            "proofs": [
                {**_row(p, ("code", "meeting_id", "issued_at", "replaced_at")), **_said(p.facts)}
                for p in found.proofs
            ],
        }


def _said(facts: str) -> dict[str, Any]:
    """What a proof says, as it was sent."""
    said: dict[str, Any] = json.loads(facts)
    return said


def send_export(services: Services, user_id: str, tr: Translator) -> None:
    """DM the user their data as a JSON file and a Markdown file."""
    data = collect(services, user_id)
    dm_files(
        services.client,
        user_id,
        tr.t("privacy.export_comment"),
        [
            File(
                json.dumps(data, ensure_ascii=False, indent=2),
                "intervisie-export.json",
                tr.t("privacy.json_title"),
            ),
            File(export_markdown(tr, data), "intervisie-export.md", tr.t("privacy.md_title")),
        ],
    )
    logger.info("sent a data export to %s", user_id)


def stored_counts(services: Services, user_id: str) -> dict[str, int]:
    with services.db() as session:
        return everything_about(session, services.team_id, user_id).counts()


def forget_user(services: Services, user_id: str) -> None:
    with services.db.begin() as session:
        forget(session, services.team_id, user_id)
    wipe_history(services.db)
    services.scheduler.sync()
    logger.info("forgot user %s at their request", user_id)
