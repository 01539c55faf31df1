"""1. Acknowledgement latency over real HTTP on loopback, against a bare Bolt app that only acks.

python -m benchmarks.ack_latency [rounds]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from slack_bolt import Ack, App

from benchmarks.harness import SECRET, percentiles, running_bot, serve
from rendering.i18n import Translator
from rendering.meeting_modal import meeting_modal
from tests.slackkit.modals import fill
from tests.slackkit.people import ANNA, NOORD
from tests.slackkit.sender import SlackSender


def bare_app(api_url: str) -> App:
    from slack_sdk import WebClient

    app = App(client=WebClient(token="xoxb-bare", base_url=api_url), signing_secret=SECRET)

    def just_ack(ack: Ack) -> None:
        ack()

    app.command("/intervisie")(just_ack)
    app.action("poll_vote")(just_ack)
    app.view("meeting_modal")(just_ack)
    return app


def measure(send: Callable[[SlackSender], object], sender: SlackSender, rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        send(sender)
        samples.append(time.perf_counter() - started)
    return samples


def main(rounds: int) -> None:
    view = meeting_modal(
        Translator("en"),
        group_id=1,
        meeting_id=None,
        start=None,
        minutes=120,
        location="",
        case_slots=None,
    )
    values = fill(view, start=1)  # a moment long past: the bot answers with a field error
    with running_bot() as bench:
        cases = {
            "slash command": lambda s: s.command(ANNA, NOORD, "help"),
            "button click": lambda s: s.click(
                ANNA, "poll_vote", "1", channel=NOORD, message_ts="1"
            ),
            "modal submission": lambda s: s.submit(ANNA, view, values),
        }
        with serve(bare_app(bench.fake.api_url), bare=True) as bare_url:
            floor = SlackSender(bare_url, SECRET, bench.fake)
            heads = ("bot p50", "bot p99", "bare p50", "bare p99")
            print(f"{'interaction':<18}" + "".join(f"{h:>10}" for h in heads) + "  ratio p50 / p99")
            for name, send in cases.items():
                send(bench.slack), send(floor)  # warm up
                bot = percentiles(measure(send, bench.slack, rounds))
                bare = percentiles(measure(send, floor, rounds))
                figures = "".join(f"{ms:>8.2f}ms" for ms in (*bot, *bare))
                ratios = f"{bot[0] / bare[0]:.2f}x / {bot[1] / bare[1]:.2f}x"
                print(f"{name:<18}{figures}  {ratios}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
