"""7. Many workspaces: 1,000 installed workspaces and 10,000 groups. The acknowledgement of a
slash command against a bare single-token Bolt app, and a command's way to `views.open`.

Every workspace is used once before measuring, so its installation is in the bot's cache, as
it is in a bot that runs for a while; the first request of each workspace is shown apart.

    python -m benchmarks.workspaces [rounds]
"""

from __future__ import annotations

import random
import sys
import time

from slack_sdk.oauth.installation_store import Installation

from benchmarks.ack_latency import bare_app
from benchmarks.harness import SECRET, percentiles, running_bot, serve
from bot.workspaces import InstallationStore
from tests.crowd import seed, team_of
from tests.slackkit.fake_slack import BOT_USER_ID, CLIENT_ID, CLIENT_SECRET, FakeChannel, FakeUser
from tests.slackkit.sender import SlackSender

WORKSPACES, GROUPS, CASES = 1_000, 10_000, 10_000


def install_all(bench_store: InstallationStore) -> None:
    for number in range(WORKSPACES):
        team = f"TB{number:05d}"
        bench_store.save(
            Installation(
                app_id="A0INTERVISIE",
                team_id=team,
                team_name=f"Workspace {number}",
                bot_token=f"xoxb-{team}",
                bot_id="BBOT",
                bot_user_id=BOT_USER_ID,
                bot_scopes="commands,chat:write",
                user_id=f"UA{number:07d}",
                installed_at=time.time(),
            )
        )


def main(rounds: int) -> None:
    hosted = {"bot_token": None, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    with running_bot(**hosted) as bench:
        started = time.perf_counter()
        seed(bench.services.db, GROUPS, CASES, teams=WORKSPACES)
        install_all(InstallationStore(CLIENT_ID, bench.services.db.kw["bind"]))
        print(
            f"installed {WORKSPACES:,} workspaces with {GROUPS:,} groups and {CASES:,} cases"
            f" in {time.perf_counter() - started:.1f}s"
        )
        for group in range(1, GROUPS + 1):
            channel = f"CB{group:07d}"
            bench.fake.add_channel(FakeChannel(channel, channel, True, {BOT_USER_ID}))
            bench.fake.add_user(FakeUser(f"UB{group:06d}0", f"member {group}"))
        senders = {
            team: bench.slack.from_team(team)
            for team in (team_of(g, WORKSPACES) for g in range(WORKSPACES))
        }

        def help_in(group: int, sender: SlackSender | None = None) -> float:
            team = team_of(group, WORKSPACES)
            sent = time.perf_counter()
            (sender or senders[team]).command(f"UB{group:06d}0", f"CB{group:07d}", "help")
            return time.perf_counter() - sent

        cold = [help_in(g) for g in range(1, WORKSPACES + 1)]
        rng = random.Random(7)
        picks = [rng.randint(1, GROUPS) for _ in range(rounds)]
        with serve(bare_app(bench.fake.api_url), bare=True) as bare_url:
            floor = SlackSender(bare_url, SECRET, bench.fake)
            bare = percentiles([help_in(g, floor) for g in picks])
        warm = percentiles([help_in(g) for g in picks])
        first = percentiles(cold)
        print(f"{'slash command ack':<34}{'p50':>10}{'p99':>10}")
        print(f"{'bare single-token Bolt app':<34}{bare[0]:>8.2f}ms{bare[1]:>8.2f}ms")
        print(f"{'bot, 1,000 workspaces (cached)':<34}{warm[0]:>8.2f}ms{warm[1]:>8.2f}ms")
        print(f"{'bot, first request of a workspace':<34}{first[0]:>8.2f}ms{first[1]:>8.2f}ms")
        print(f"ratio to bare (cached): p50 {warm[0] / bare[0]:.2f}x, p99 {warm[1] / bare[1]:.2f}x")

        samples = []
        for group in picks[: max(50, rounds // 4)]:
            team = team_of(group, WORKSPACES)
            before = len(bench.fake.calls_to("views.open"))
            sent = time.perf_counter()
            senders[team].command(f"UB{group:06d}0", f"CB{group:07d}", "schedule")
            bench.fake.wait_for("views.open", count=before + 1)
            samples.append(time.perf_counter() - sent)
        p50, p99 = percentiles(samples)
        print(f"/intervisie schedule to views.open: p50 {p50:.1f}ms, p99 {p99:.1f}ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
