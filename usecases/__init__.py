"""Floor 3, the use cases: what a group does with the bot. Groups and their channels, meetings
and proposals, the agenda and reminders, cases, the live session and asynchronous cases,
follow-up, records and proofs, the year review, privacy and retention, the panel and App Home,
and sending each message exactly once. Each reads as: load (`storage`), decide (pure rules
from `methods`), render (`rendering`), deliver (the Slack client it is given).

May import `rendering`, `storage` and `methods`; never `bot` or `handlers`. The world outside
reaches a use case through `usecases.services.Services`, which `bot/` builds.
"""
