"""`/intervisie start` (open the meeting) and `/intervisie methods` (the method library)."""

from __future__ import annotations

from handlers.commands.call import CommandCall, member_group
from methods.library import methods
from rendering.method_views import methods_list
from storage.meetings import meeting_to_start
from usecases.answers import Answer
from usecases.asynchronous import LIVE, MODES
from usecases.live.opening import open_meeting


def start(call: CommandCall) -> None:
    """`/intervisie start` opens the meeting live; `/intervisie start async` runs its cases
    over days in the thread."""
    group = member_group(call)
    if group is None:
        return
    tr = call.tr
    mode = call.args.split()[0].lower() if call.args.split() else LIVE
    if mode not in MODES:
        call.reply_text(tr.t("run.unknown_mode", given=mode[:20]))
        return
    with call.services.db() as session:
        meeting = meeting_to_start(session, group.id, call.services.clock())
        meeting_id = meeting.id if meeting else None
    if meeting_id is None:
        call.reply_text(tr.t("run.nothing_to_start"))
        return
    if open_meeting(call.services, meeting_id, call.user_id, mode) is not Answer.DONE:
        call.reply_text(tr.t("case.answer.closed"))


def list_methods(call: CommandCall) -> None:
    call.reply(methods_list(call.tr, list(methods().values())))
