"""Stories about setting up and editing an intervisie group."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from storage.groups import group_in_channel
from storage.models import Group
from tests.conftest import Bot
from tests.slackkit.fake_slack import TEAM_ID, FakeUser
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, BRAM, CHLOE, DEV, ELSEWHERE, EVA, NOORD, OPEN, OSCAR


def open_setup(bot: Bot, user: str = ANNA, channel: str = NOORD) -> dict[str, Any]:
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.command(user, channel, "setup")
    view: dict[str, Any] = bot.fake.wait_for("views.open", count=before + 1)[-1]["view"]
    return view


def set_up_noord(bot: Bot, **changes: Any) -> Any:
    view = open_setup(bot)
    changes = {"members": [ANNA, BRAM, CHLOE, DEV], **changes}
    return bot.slack.submit(ANNA, view, fill(view, **changes))


def test_anna_opens_setup_and_finds_sensible_defaults_in_dutch(bot: Bot) -> None:
    view = open_setup(bot)

    values = fill(view)
    assert view["title"]["text"] == "Nieuwe intervisiegroep"
    assert values["name"]["name"]["value"] == "intervisie-noord"
    assert values["members"]["members"]["selected_users"] == [ANNA, BRAM, CHLOE, DEV]
    assert values["cadence"]["cadence"]["value"] == "8"
    assert values["length"]["length"]["value"] == "120"
    assert values["group_language"]["group_language"]["selected_option"]["value"] == "nl"
    assert values["timezone"]["timezone"]["value"] == "Europe/Amsterdam"
    rules = values["rules"]["rules"]["value"]
    assert "blijft in deze groep" in rules and "uitpraten" in rules and "gelijk" in rules
    members_block = next(b for b in view["blocks"] if b.get("block_id") == "members")
    assert "4 tot 6 leden werkt het best" in members_block["hint"]["text"]


def test_saving_the_group_pins_the_welcome_with_the_ground_rules_and_the_panel(bot: Bot) -> None:
    reply = set_up_noord(bot)

    assert reply.status == 200 and reply.body == ""
    welcome, panel = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == NOORD, 2)
    assert "Welkom bij intervisiegroep intervisie-noord" in welcome.all_text
    assert "Wat in deze groep gedeeld wordt, blijft in deze groep." in welcome.all_text
    assert "openbaar" not in welcome.all_text
    assert "Nog niet in dit kanaal" not in welcome.all_text
    assert "intervisie-noord: de knoppen van de groep" in panel.all_text
    assert "Casus inbrengen" in panel.all_text and "Vergeet mij" in panel.all_text
    assert "Nog geen bijeenkomst gepland." in panel.all_text
    pins = bot.fake.wait_for("pins.add", count=2)
    with bot.db() as session:
        group = group_in_channel(session, TEAM_ID, NOORD)
        assert group is not None
        assert group.member_ids == sorted([ANNA, BRAM, CHLOE, DEV])
        assert group.facilitator_id is None
        pinned = [(p["channel"], p["timestamp"]) for p in pins]
        assert pinned == [(NOORD, group.welcome_ts), (NOORD, group.panel_ts)]


def test_a_group_of_one_is_refused_with_a_field_error_and_nothing_is_saved(bot: Bot) -> None:
    view = open_setup(bot)

    reply = bot.slack.submit(ANNA, view, fill(view, members=[ANNA]))

    assert reply.json["response_action"] == "errors"
    assert reply.json["errors"] == {"members": "Een groep heeft minstens 2 leden nodig."}
    with bot.db() as session:
        assert session.scalars(select(Group)).all() == []


def test_a_group_of_thirteen_is_refused(bot: Bot) -> None:
    view = open_setup(bot)
    crowd = [f"U0MEMBER{i:02d}" for i in range(13)]

    reply = bot.slack.submit(ANNA, view, fill(view, members=crowd))

    assert "hoogstens 12 leden" in reply.json["errors"]["members"]


def test_every_bad_field_gets_its_own_error_in_one_go(bot: Bot) -> None:
    view = open_setup(bot)

    reply = bot.slack.submit(
        ANNA,
        view,
        fill(
            view,
            members=[ANNA, BRAM],
            name="",
            timezone="Amsterdam",
            length="60",
            cadence="0",
            rules="",
        ),
    )

    errors = reply.json["errors"]
    assert set(errors) == {"name", "timezone", "length", "cadence", "rules"}
    assert "Europe/Amsterdam" in errors["timezone"]
    assert errors["length"] == "Vul een heel getal in van 90 tot en met 480."


def test_three_members_are_allowed(bot: Bot) -> None:
    view = open_setup(bot)

    reply = bot.slack.submit(ANNA, view, fill(view, members=[ANNA, BRAM, CHLOE]))

    assert reply.body == ""
    bot.fake.wait_for("pins.add")


def test_a_public_channel_gets_a_confidentiality_warning(bot: Bot) -> None:
    view = open_setup(bot, channel=OPEN)

    bot.slack.submit(ANNA, view, fill(view, members=[ANNA, BRAM, OSCAR]))

    welcome, _panel = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == OPEN, 2)
    assert "Dit kanaal is openbaar" in welcome.all_text
    assert "besloten kanaal" in welcome.all_text


def test_members_who_are_not_in_the_channel_are_listed_with_how_to_add_them(bot: Bot) -> None:
    set_up_noord(bot, members=[ANNA, BRAM, CHLOE, EVA])

    welcome, _panel = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == NOORD, 2)
    assert f"Nog niet in dit kanaal: <@{EVA}>" in welcome.all_text
    assert f"/invite <@{EVA}>" in welcome.all_text


def test_when_the_bot_is_not_in_the_channel_it_explains_how_to_invite_it(bot: Bot) -> None:
    view = open_setup(bot, channel=ELSEWHERE)

    reply = bot.slack.submit(ANNA, view, fill(view, members=[ANNA, BRAM]))

    assert reply.body == ""
    [dm] = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == ANNA)
    assert "/invite @intervisie" in dm.all_text
    assert bot.fake.calls_to("pins.add") == []
    with bot.db() as session:
        assert group_in_channel(session, TEAM_ID, ELSEWHERE) is not None


def test_a_channel_holds_one_group(bot: Bot) -> None:
    set_up_noord(bot)
    bot.fake.wait_for("pins.add")

    bot.slack.command(BRAM, NOORD, "setup")

    [answer] = bot.fake.wait_for("response_url")
    assert "heeft al een intervisiegroep" in answer.all_text
    assert len(bot.fake.calls_to("views.open")) == 1


def test_a_person_can_be_in_two_groups(bot: Bot) -> None:
    set_up_noord(bot)
    bot.fake.wait_for("pins.add")
    view = open_setup(bot, channel=OPEN)

    bot.slack.submit(ANNA, view, fill(view, members=[ANNA, OSCAR]))

    bot.fake.wait_for("pins.add", count=2)
    with bot.db() as session:
        assert len(session.scalars(select(Group)).all()) == 2


def test_bram_edits_the_group_and_the_pinned_welcome_follows(bot: Bot) -> None:
    set_up_noord(bot)
    bot.fake.wait_for("pins.add")

    bot.slack.command(BRAM, NOORD, "group")
    [summary] = bot.fake.wait_for("response_url")
    assert "intervisie-noord" in summary.all_text
    edit = next(b for b in summary["blocks"] if b["type"] == "actions")["elements"][0]
    bot.slack.click(BRAM, edit["action_id"], edit["value"], channel=NOORD)
    view = bot.fake.wait_for("views.open", count=2)[-1]["view"]
    assert fill(view)["members"]["members"]["selected_users"] == sorted([ANNA, BRAM, CHLOE, DEV])

    reply = bot.slack.submit(
        BRAM, view, fill(view, name="Noord", facilitator=EVA, group_language="en", cadence="6")
    )

    assert reply.body == ""
    updated, panel = bot.fake.wait_for("chat.update", count=2)
    assert "Noord: the group's buttons" in panel.all_text and "Bring in a case" in panel.all_text
    assert "Welcome to intervisie group Noord" in updated.all_text
    assert f"Our facilitator is <@{EVA}>" in updated.all_text
    assert "every 6 weeks" in updated.all_text
    assert "I read replies in a case's thread only while a round collects" in updated.all_text
    bot.fake.wait_for("chat.postMessage", lambda c: "updated the group settings" in c.all_text)
    assert len(bot.fake.calls_to("pins.add")) == 2  # the welcome and the panel, once


def test_an_outsider_can_neither_see_nor_edit_the_group(bot: Bot) -> None:
    set_up_noord(bot)
    bot.fake.wait_for("pins.add")

    bot.slack.command(OSCAR, NOORD, "group")
    [answer] = bot.fake.wait_for("response_url")
    assert answer["response_type"] == "ephemeral"
    assert "Only its members" in answer.all_text
    assert ANNA not in answer.all_text

    with bot.db() as session:
        group = group_in_channel(session, TEAM_ID, NOORD)
        assert group is not None
        group_id = group.id
    bot.slack.click(OSCAR, "group_edit", str(group_id), channel=NOORD)
    bot.fake.wait_for("response_url", count=2)
    assert len(bot.fake.calls_to("views.open")) == 1


def test_group_in_a_channel_without_group_points_to_setup(bot: Bot) -> None:
    bot.slack.command(CHLOE, NOORD, "group")

    [answer] = bot.fake.wait_for("response_url")
    assert "/intervisie setup" in answer.all_text


def test_setup_suggests_the_channels_people_but_not_bots_or_deactivated_accounts(
    bot: Bot,
) -> None:
    bot.fake.add_user(FakeUser("U0POLLY", "pollbot", is_bot=True))
    bot.fake.add_user(FakeUser("U0GONE", "former", deleted=True))
    bot.fake.channels[NOORD].members |= {"U0POLLY", "U0GONE"}

    view = open_setup(bot, user=CHLOE)

    suggested = fill(view)["members"]["members"]["selected_users"]
    assert suggested[0] == CHLOE
    assert sorted(suggested) == sorted([ANNA, BRAM, CHLOE, DEV])


def test_a_setup_naming_a_channel_its_sender_is_not_in_is_refused(bot: Bot) -> None:
    """Oscar opens setup in #algemeen, and the submission names Noord's channel instead."""
    view = open_setup(bot, user=OSCAR, channel=OPEN)
    metadata = json.loads(view["private_metadata"])
    forged = {**view, "private_metadata": json.dumps({**metadata, "channel": NOORD})}

    reply = bot.slack.submit(OSCAR, forged, fill(forged, members=[OSCAR, ANNA]))

    assert reply.json["response_action"] == "errors"
    assert "only in a channel you are in" in reply.json["errors"]["name"]
    with bot.db() as session:
        assert session.scalars(select(Group)).all() == []


def choose_language(bot: Bot, view: dict[str, Any], language: str, **typed: Any) -> None:
    """Pick the group's language in the open form (Slack sends the form as it is now)."""
    state = fill(view, group_language=language, **typed)
    shown = {**view, "id": "V0SETUP", "hash": "h1", "state": {"values": state}}
    menu = next(b for b in view["blocks"] if b.get("block_id") == "group_language")["element"]
    [chosen] = [o for o in menu["options"] if o["value"] == language]
    bot.slack.interaction(
        {
            "type": "block_actions",
            "user": {"id": ANNA, "team_id": TEAM_ID},
            "trigger_id": "t",
            "container": {"type": "view", "view_id": "V0SETUP"},
            "view": shown,
            "actions": [
                {
                    "type": "static_select",
                    "action_id": "group_language",
                    "block_id": "group_language",
                    "selected_option": chosen,
                    "action_ts": "1",
                }
            ],
        }
    )


def test_choosing_english_for_the_group_puts_english_ground_rules_in_the_form(bot: Bot) -> None:
    view = open_setup(bot)  # Anna reads Dutch: the Dutch rules are prefilled

    choose_language(bot, view, "en", name="Noord North")

    [update] = bot.fake.wait_for("views.update")
    assert update["view_id"] == "V0SETUP" and update["hash"] == "h1"
    rules = next(b for b in update["view"]["blocks"] if b.get("block_id") == "rules")
    assert "What is shared in this group stays in this group." in rules["element"]["initial_value"]
    assert update["view"]["title"]["text"] == "Nieuwe intervisiegroep", "Anna still reads Dutch"
    updated = {**view, **update["view"]}
    reply = bot.slack.submit(
        ANNA, updated, fill(updated, group_language="en", members=[ANNA, BRAM, CHLOE, DEV])
    )
    assert reply.status == 200
    welcome = bot.fake.wait_for("chat.postMessage", lambda c: c["channel"] == NOORD)[0]
    assert "What is shared in this group stays in this group." in welcome.all_text


def test_ground_rules_someone_wrote_stay_when_the_language_changes(bot: Bot) -> None:
    view = open_setup(bot)

    choose_language(bot, view, "en", rules="Wij beginnen altijd op tijd.")

    assert bot.fake.calls_to("views.update") == [], "her own rules are not replaced"
