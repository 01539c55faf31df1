"""Files sent to one person in a direct message: exports, proofs and overviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse


@dataclass(frozen=True)
class File:
    content: str | bytes
    filename: str
    title: str


def dm_files(client: WebClient, user_id: str, comment: str, files: Sequence[File]) -> SlackResponse:
    """Upload the files into the user's DM with the bot, under one comment."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    return client.files_upload_v2(
        channel=channel,
        initial_comment=comment,
        file_uploads=[
            {"content": f.content, "filename": f.filename, "title": f.title} for f in files
        ],
    )
