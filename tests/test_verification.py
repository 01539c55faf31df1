"""Stories about checking a proof of participation: a register's auditor opens the page the
proof names, a member checks a code in the group, and a correction replaces a proof."""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlparse

from sqlalchemy import select

from storage.models import IssuedProof
from tests.conftest import Bot
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, NOORD, OSCAR
from tests.test_attendance import PROOF, files_in_dm, held, meeting_day, meeting_id
from tests.test_workspaces import Page

__all__ = ["held", "meeting_day"]  # the fixtures, shared with the attendance stories
CODE = re.compile(r"Verification code: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})")


def code_on(proof: str) -> str:
    found = CODE.search(proof)
    assert found is not None, proof
    return found.group(1)


def visit(bot: Bot, path: str, language: str = "en") -> Page:
    connection = http.client.HTTPConnection(urlparse(bot.url).netloc, timeout=10)
    connection.request("GET", path, headers={"Accept-Language": language})
    response = connection.getresponse()
    page = Page(response.status, response.headers, response.read().decode())
    connection.close()
    return page


def test_the_auditor_opens_the_page_the_proof_names_and_sees_what_it_says(held: Bot) -> None:
    bot = held
    proof = files_in_dm(bot, DEV)[PROOF]
    code = code_on(proof)
    assert f"/intervisie verify {code}" in proof  # no PUBLIC_URL here: checked in Slack

    page = visit(bot, f"/verify/{code}")

    assert page.status == 200
    assert "This proof of participation is genuine." in page.body
    for fact in (
        "<th>Participant</th><td>Dev</td>",
        "<th>Group</th><td>Noord</td>",
        "<th>Date</th><td>December 1, 2026</td>",
        "<th>Time</th><td>13:30–15:05 (America/New_York)</td>",
        "<th>Duration</th><td>1 h 35 min</td>",
        "<th>Methods used</th><td>Incident method</td>",
        "<th>Cases discussed</th><td>1</td>",
    ):
        assert fact in page.body
    assert "deadline" not in page.body.lower()
    assert page.headers["Cache-Control"] == "no-store"
    assert "noindex" in page.headers["X-Robots-Tag"]
    dutch = visit(bot, f"/verify/{code.lower().replace('-', '')}", "nl")
    assert dutch.status == 200 and "Dit bewijs van deelname is echt." in dutch.body


def test_a_wrong_code_finds_nothing_and_guessing_is_slowed_down(held: Bot) -> None:
    bot = held
    real = code_on(files_in_dm(bot, DEV)[PROOF])

    wrong = visit(bot, "/verify/ABCD-EFGH-JKMN-PQRS")
    nonsense = visit(bot, "/verify/../../etc/passwd")

    assert wrong.status == 404 and "There is no proof with this code." in wrong.body
    assert nonsense.status == 404 and "passwd" not in nonsense.body
    for _ in range(8):
        visit(bot, "/verify/ABCD-EFGH-JKMN-PQRS")
    blocked = visit(bot, f"/verify/{real}")
    assert blocked.status == 429 and blocked.headers["Retry-After"] == "600"
    assert "Too many codes that do not exist" in blocked.body and "Dev" not in blocked.body


def test_after_a_correction_the_old_proof_says_it_was_replaced(held: Bot) -> None:
    bot = held
    old = code_on(files_in_dm(bot, DEV)[PROOF])
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.click(ANNA, "attendance_correct", str(meeting_id(bot)), channel=NOORD)
    view = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    assert bot.slack.submit(ANNA, view, fill(view, present=[ANNA, DEV], minutes="100")).body == ""
    bot.fake.wait_for("chat.postMessage", lambda c: "niet meer als aanwezig" in c.all_text)

    new = code_on(files_in_dm(bot, DEV)[PROOF])
    replaced, current = visit(bot, f"/verify/{old}"), visit(bot, f"/verify/{new}")

    assert new != old
    assert replaced.status == 200 and "This proof no longer holds" in replaced.body
    assert "<td>1 h 35 min</td>" in replaced.body
    assert "genuine" in current.body and "<td>1 h 40 min</td>" in current.body
    with bot.db() as session:
        brams = session.scalars(select(IssuedProof).where(IssuedProof.user_id == BRAM)).one()
        assert brams.replaced_at is not None, "Bram, taken off the attendance, is withdrawn"


def test_members_check_a_code_in_the_group_and_outsiders_learn_nothing(held: Bot) -> None:
    bot = held
    code = code_on(files_in_dm(bot, DEV)[PROOF])

    bot.slack.command(CHLOE, NOORD, f"verify {code.lower()}")
    bot.slack.command(OSCAR, NOORD, f"verify {code}")
    bot.slack.command(CHLOE, NOORD, "verify ABCD-EFGH-JKMN-PQRS")
    bot.slack.command(CHLOE, NOORD, "verify 1234")

    checked, outsider, unknown, typo = bot.fake.wait_for("response_url", count=4)
    assert checked["response_type"] == "ephemeral"
    assert "genuine" in checked.all_text and "*Participant:* Dev" in checked.all_text
    assert "Dev" not in outsider.all_text and "Only its members" in outsider.all_text
    assert "No proof of this group has that code" in unknown.all_text
    assert "That is not a verification code" in typo.all_text


def test_the_check_a_proof_modal_gives_field_errors_and_then_the_facts(held: Bot) -> None:
    bot = held
    code = code_on(files_in_dm(bot, DEV)[PROOF])
    bot.slack.command(CHLOE, NOORD, "verify")
    view = bot.fake.wait_for("views.open")[-1]["view"]
    assert view["callback_id"] == "verify_modal"

    typo = bot.slack.submit(CHLOE, view, fill(view, code="ABCD"))
    unknown = bot.slack.submit(CHLOE, view, fill(view, code="ABCD-EFGH-JKMN-PQRS"))
    found = bot.slack.submit(CHLOE, view, fill(view, code=code))

    assert typo.json["errors"]["code"].startswith("That is not a verification code")
    assert unknown.json["errors"]["code"].startswith("No proof of this group has that code")
    assert found.json["response_action"] == "update"
    shown = str(found.json["view"]["blocks"])
    assert "*Participant:* Dev" in shown and "13:30–15:05 (America/New_York)" in shown


def test_a_members_proofs_are_in_their_export_and_go_when_they_are_forgotten(held: Bot) -> None:
    bot = held
    code = code_on(files_in_dm(bot, DEV)[PROOF])

    bot.slack.command(DEV, NOORD, "export")
    exported = json.loads(files_in_dm(bot, DEV)["Your intervisie data (JSON)"])
    assert [(p["code"], p["name"], p["minutes"]) for p in exported["proofs"]] == [(code, "Dev", 95)]
    bot.slack.command(DEV, NOORD, "forget-me")
    [prompt] = bot.fake.wait_for("response_url", lambda c: "forget" in str(c.params).lower())
    [button] = prompt["blocks"][1]["elements"]
    bot.slack.click(DEV, button["action_id"], button["value"], channel=NOORD, message_ts="9.1")
    bot.fake.wait_for("response_url", lambda c: c.get("replace_original") is True)

    assert visit(bot, f"/verify/{code}").status == 404
