"""The people and channels in the test stories."""

from __future__ import annotations

from dataclasses import replace

from tests.slackkit.fake_slack import BOT_USER_ID, FakeChannel, FakeSlack, FakeUser

ANNA = "U0ANNA"  # Dutch, Amsterdam
BRAM = "U0BRAM"  # Dutch, Amsterdam
CHLOE = "U0CHLOE"  # English, London
DEV = "U0DEV"  # English, New York
EVA = "U0EVA"  # Dutch, Lisbon
OSCAR = "U0OSCAR"  # not in any group
# Partner: another organisation, sharing a channel with the group (Slack Connect); its own
# workspace may not have the app.
PARTNER = "T0PARTNER"
FENNA = "U0FENNA"  # Partner, in Lisbon; Slack gives no locale for her
GIJS = "U0GIJS"  # Partner, not in any group

NOORD = "C0NOORD"  # #intervisie-noord: private, the bot is in it
OPEN = "C0OPEN"  # #algemeen: public
ELSEWHERE = "C0ELSEWHERE"  # private, the bot was not invited


PEOPLE = {
    user.id: user
    for user in (
        FakeUser(ANNA, "anna", "Europe/Amsterdam", "nl-NL"),
        FakeUser(BRAM, "bram", "Europe/Amsterdam", "nl-NL"),
        FakeUser(CHLOE, "chloe", "Europe/London", "en-GB"),
        FakeUser(DEV, "dev", "America/New_York", "en-US"),
        FakeUser(EVA, "eva", "Europe/Lisbon", "nl-NL"),
        FakeUser(OSCAR, "oscar", "Europe/Berlin", "en-US"),
    )
}


# Whose Slack is in Dutch: what they read alone (DMs, forms, private answers) is Dutch.
DUTCH_SLACK = frozenset(u.id for u in PEOPLE.values() if (u.locale or "").startswith("nl"))


def populate(fake: FakeSlack) -> None:
    for user in PEOPLE.values():
        fake.add_user(replace(user))
    fake.add_channel(
        FakeChannel(NOORD, "intervisie-noord", True, {BOT_USER_ID, ANNA, BRAM, CHLOE, DEV})
    )
    fake.add_channel(FakeChannel(OPEN, "algemeen", False, {BOT_USER_ID, ANNA, BRAM, OSCAR}))
    fake.add_channel(FakeChannel(ELSEWHERE, "intervisie-zuid", True, {ANNA, BRAM}))
